package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.petlet.spi.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's HTTPS API on port 10250, for the API server ({@code kubectl logs}, {@code exec}, {@code attach},
 * {@code port-forward}) and for monitoring: {@code /healthz}, {@code /pods}, {@code /runningpods/}, {@code
 * /configz}, {@code /stats/summary}, {@code /metrics/resource}, {@code /containerLogs}, and {@code /exec}, {@code /attach}, {@code /portForward}, which the
 * streaming layer serves once this server has authorized them.
 *
 * <p>Every request is authenticated (a client certificate signed by the client CA, else a bearer token through
 * a TokenReview) and authorized with SubjectAccessReviews on {@code nodes/<subresource>}, as the kubelet's
 * Webhook mode does. HTTP/1.1 over TLS on Netty event loops; calls that block (runtime, API server) run on
 * virtual threads. The serving certificate, key and client CA are reloaded when they change on disk.
 */
public final class KubeletServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubeletServer.class);
    /** Go's {@code IdleTimeout} on the kubelet's server: keep-alive connections idle this long are closed. */
    static final Duration CONNECTION_IDLE_TIMEOUT = Duration.ofSeconds(90);

    /** How often the TLS files are checked for a change: a few stat calls, so often enough to use a new
     * serving certificate promptly (the API server refuses logs and exec until the issued one is served). */
    private static final Duration TLS_RELOAD_INTERVAL = Duration.ofSeconds(2);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ExecutorService blocking;
    private final ScheduledExecutorService reloads;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KubeletServer(
            EventLoopGroup bossGroup,
            EventLoopGroup workerGroup,
            ExecutorService blocking,
            ScheduledExecutorService reloads,
            Channel serverChannel,
            ChannelGroup connections,
            int port) {
        this.connections = connections;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.blocking = blocking;
        this.reloads = reloads;
        this.serverChannel = serverChannel;
        this.port = port;
    }

    /**
     * Starts listening.
     *
     * @param client a client with the node's identity, for TokenReviews and SubjectAccessReviews; not closed here
     * @param runtime the container runtime; not closed here
     * @param desiredPods the pods bound to this node as last seen from the API ({@code PodController::pods})
     * @param ownLabels the labels that mark this agent's sandboxes and containers in the runtime (the agent label),
     *     so that {@code /runningpods/} lists only its own; empty for all
     * @param stateDirectory the agent's state directory, whose file system {@code /stats/summary} reports as the
     *     node's
     * @throws IOException if the TLS files cannot be read or the port cannot be bound
     */
    public static KubeletServer start(
            KubeletServerSettings settings,
            KubernetesClient client,
            ContainerRuntime runtime,
            Supplier<? extends Collection<Pod>> desiredPods,
            Map<String, String> ownLabels,
            Path stateDirectory,
            Clock clock)
            throws IOException {
        requireNonNull(client, "client");
        KubernetesReviews reviews = new KubernetesReviews(client);
        Optional<TokenAuthenticator> tokens = settings.webhookAuthentication()
                ? Optional.of(new TokenAuthenticator(reviews, Ticker.systemTicker()))
                : Optional.empty();
        return start(
                settings,
                new RequestAuthenticator(tokens),
                new CachingAuthorizer(reviews, Ticker.systemTicker()),
                runtime,
                desiredPods,
                ownLabels,
                StreamHandoff.STREAM_UPGRADE,
                new NodeUsageReader(Path.of("/proc"), stateDirectory),
                clock);
    }

    /** Starts listening with the given authentication, authorization, streaming layer and usage (tests fake them). */
    static KubeletServer start(
            KubeletServerSettings settings,
            Authenticator authenticator,
            Authorizer authorizer,
            ContainerRuntime runtime,
            Supplier<? extends Collection<Pod>> desiredPods,
            Map<String, String> ownLabels,
            StreamHandoff streams,
            NodeUsageReader nodeUsage,
            Clock clock)
            throws IOException {
        requireNonNull(settings, "settings");
        ServingTls tls = new ServingTls(settings.certificate(), settings.key(), settings.clientCa());
        EventLoopGroup bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workerGroup = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ExecutorService blocking = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("petlet-kubelet-api-", 0).factory());
        ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "petlet-kubelet-api-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        try {
            RequestGate gate = new RequestGate(authenticator, authorizer, settings.nodeName());
            // The API is created once the port is known (for /configz); connections are accepted after that.
            AtomicReference<KubeletApi> api = new AtomicReference<>();
            ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, StreamBuffers.ALLOCATOR)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            connections.add(channel);
                            channel.pipeline()
                                    .addLast("tls", tls.context().newHandler(channel.alloc()))
                                    .addLast(
                                            "http",
                                            new HttpServerCodec(new HttpDecoderConfig()
                                                    .setMaxInitialLineLength(8192)
                                                    .setMaxHeaderSize(32768)))
                                    .addLast(
                                            KubeletApiHandler.IDLE_HANDLER,
                                            new IdleStateHandler(
                                                    0, 0, CONNECTION_IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                                    .addLast("kubelet-api", new KubeletApiHandler(api.get()));
                        }
                    });
            Channel serverChannel = bootstrap
                    .bind(new InetSocketAddress(settings.bindAddress(), settings.port()))
                    .syncUninterruptibly()
                    .channel();
            int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
            api.set(new KubeletApi(
                    settings.withAddress(settings.bindAddress(), port),
                    gate,
                    desiredPods,
                    runtime,
                    ownLabels,
                    streams,
                    blocking,
                    nodeUsage,
                    clock));
            serverChannel.config().setAutoRead(true);
            reloads.scheduleWithFixedDelay(
                    tls::reloadIfChanged,
                    TLS_RELOAD_INTERVAL.toSeconds(),
                    TLS_RELOAD_INTERVAL.toSeconds(),
                    TimeUnit.SECONDS);
            log.info("kubelet API listening on {}:{} for node {}", settings.bindAddress(), port, settings.nodeName());
            return new KubeletServer(bossGroup, workerGroup, blocking, reloads, serverChannel, connections, port);
        } catch (RuntimeException e) {
            reloads.shutdownNow();
            blocking.shutdownNow();
            bossGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workerGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot listen on " + settings.bindAddress() + ":" + settings.port() + ": " + e, e);
        }
    }

    /** The port the server listens on: the configured one, or the one picked for port 0. */
    public int port() {
        return port;
    }

    /** Stops listening and closes every connection, streams and log follows included. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        // Close the connections while their event loops still run, so what each one ends on close
        // (log follows, stream sessions) runs before the loops go away.
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        reloads.shutdownNow();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // Let the work the closed connections handed off (closing log subscriptions, ending streams) finish.
        blocking.shutdown();
        try {
            if (!blocking.awaitTermination(2, TimeUnit.SECONDS)) {
                blocking.shutdownNow();
            }
        } catch (InterruptedException e) {
            blocking.shutdownNow();
            Thread.currentThread().interrupt();
        }
        log.info("kubelet API on port {} stopped", port);
    }
}

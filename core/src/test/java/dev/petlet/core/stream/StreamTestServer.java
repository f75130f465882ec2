package dev.petlet.core.stream;

import dev.petlet.core.stream.StreamTarget.Kind;
import dev.petlet.spi.runtime.ContainerRuntime;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Netty HTTP server on localhost shaped like petlet's kubelet API (HTTP codec, then a router that calls
 * {@link StreamUpgrade#handle}), without TLS and authorization. Paths starting {@code /exec}, {@code /attach}
 * and {@code /portForward} pick the kind; everything targets the fake runtime.
 */
final class StreamTestServer implements AutoCloseable {
    final FakeRuntime runtime = new FakeRuntime();
    private final ContainerRuntime streamRuntime;
    private final String containerId;
    private final String sandboxId;
    final Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel server;
    volatile Duration idleTimeout = Duration.ofHours(4);

    StreamTestServer() throws InterruptedException {
        this(0, null, FakeRuntime.CONTAINER, FakeRuntime.SANDBOX);
    }

    /** A server on a port (0: any) for a runtime (null: the fake) and the container and sandbox to target. */
    StreamTestServer(int port, ContainerRuntime runtime, String containerId, String sandboxId)
            throws InterruptedException {
        this.streamRuntime = runtime == null ? this.runtime : runtime;
        this.containerId = containerId;
        this.sandboxId = sandboxId;
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast("http", new HttpServerCodec())
                                .addLast("idle", new IdleStateHandler(0, 0, 90, TimeUnit.SECONDS))
                                .addLast("router", new Router())
                                .addLast("tail", new EscapeRecorder());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .sync()
                .channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    StreamTarget target(String uri) {
        if (uri.startsWith("/portForward")) {
            return new StreamTarget(
                    Kind.PORT_FORWARD, null, sandboxId, List.of("10.0.0.1"), streamRuntime, idleTimeout);
        }
        Kind kind = uri.startsWith("/attach") ? Kind.ATTACH : Kind.EXEC;
        String container = uri.contains("/missing") ? "missing" : containerId;
        return new StreamTarget(kind, container, sandboxId, List.of(), streamRuntime, idleTimeout);
    }

    /**
     * Stands in for the server's router, handing over the way {@code KubeletApiHandler} does: reading paused at the
     * request, the target resolved elsewhere, then {@link StreamUpgrade#handle} from a later event-loop task, and
     * reading resumed after it.
     */
    private final class Router extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                ctx.channel().config().setAutoRead(false);
                ctx.executor().execute(() -> {
                    StreamUpgrade.handle(ctx, request, target(request.uri()));
                    ctx.channel().config().setAutoRead(true);
                });
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    /** Records anything that reaches the end of the pipeline: the stream handlers must let nothing through. */
    private final class EscapeRecorder extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            escaped.add(cause);
        }
    }

    /**
     * Waits until every runtime session and pod connection opened through this server was closed, and no stream
     * thread runs any more: what must hold once the clients are gone.
     */
    void awaitNoLeaks() {
        Await.until(
                "every exec/attach session to be closed",
                () -> runtime.processes.stream().allMatch(process -> process.closeCalls.get() > 0));
        Await.until(
                "every pod connection to be closed",
                () -> runtime.forwards.stream().allMatch(java.net.Socket::isClosed));
        Await.until("every stream thread to end", () -> StreamThreads.running() == 0);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        runtime.close();
    }
}

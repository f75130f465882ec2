package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.stream.StreamTarget;
import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.Subscription;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the kubelet API: serves its requests one after the other. Bodies are never aggregated, so
 * an upgrade request can be handed to the streaming layer untouched. Reading pauses while a request is
 * authorized and answered, so no byte after an upgrade request is decoded as HTTP, and resumes while a log
 * streams (to notice the client leaving) and when the connection is kept for the next request; requests decoded
 * meanwhile wait in a queue. Every blocking step runs on the blocking executor; the channel is only touched on its
 * event loop or through thread-safe writes.
 */
final class KubeletApiHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(KubeletApiHandler.class);
    /** The name of the idle handler in front of this one, removed before a stream takes over. */
    static final String IDLE_HANDLER = "idle";
    /** How many decoded messages of later requests may wait while one is served. */
    private static final int MAX_QUEUED = 16;

    private final KubeletApi api;
    private final Deque<Object> queued = new ArrayDeque<>();
    private Exchange current;
    /** Whether the rest of the current request's body, already answered, is still to be skipped. */
    private boolean skippingBody;

    private boolean handedOver;

    KubeletApiHandler(KubeletApi api) {
        this.api = requireNonNull(api, "api");
    }

    /** A request being served. */
    private static final class Exchange {
        final HttpRequest request;
        final boolean keepAlive;
        boolean bodyDone;

        Exchange(HttpRequest request) {
            this.request = request;
            this.keepAlive = HttpUtil.isKeepAlive(request);
            this.bodyDone = request instanceof LastHttpContent;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (handedOver) {
            if (msg instanceof HttpContent content) {
                content.release(); // the upgrade request's (empty) end, decoded before the codec left
            } else {
                ctx.fireChannelRead(msg);
            }
            return;
        }
        if (current != null && !current.bodyDone && msg instanceof HttpContent content) {
            current.bodyDone = msg instanceof LastHttpContent;
            failIfMalformed(ctx, content);
            content.release();
            return;
        }
        if (current != null || !queued.isEmpty()) {
            queued.add(msg);
            if (queued.size() >= MAX_QUEUED) {
                ctx.channel().config().setAutoRead(false); // a client that pipelines too far ahead waits
            }
            return;
        }
        read(ctx, msg);
    }

    private void read(ChannelHandlerContext ctx, Object msg) {
        if (skippingBody && msg instanceof HttpContent content) {
            skippingBody = !(msg instanceof LastHttpContent);
            failIfMalformed(ctx, content);
            content.release();
            return;
        }
        if (!(msg instanceof HttpRequest request)) {
            if (msg instanceof DecoderResultProvider provider
                    && provider.decoderResult().isFailure()) {
                ctx.close();
            }
            ReferenceCountUtil.release(msg);
            return;
        }
        if (request.decoderResult().isFailure()) {
            log.debug("malformed request from {}: {}", ctx.channel().remoteAddress(), request.decoderResult());
            ReferenceCountUtil.release(msg);
            current = new Exchange(request);
            respond(ctx, current, Responses.error(400, "Bad Request"), false);
            return;
        }
        Exchange exchange = new Exchange(request);
        current = exchange;
        ctx.channel().config().setAutoRead(false);
        ReferenceCountUtil.release(msg); // a FullHttpRequest's body is not used
        X509Certificate certificate = clientCertificate(ctx);
        String path = new QueryStringDecoder(request.uri()).rawPath();
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        offload(ctx, () -> {
            RequestGate.Decision decision = api.gate().check(request.method(), path, certificate, authorization);
            ctx.executor().execute(() -> decided(ctx, exchange, decision));
        });
    }

    private void failIfMalformed(ChannelHandlerContext ctx, HttpContent content) {
        if (content.decoderResult().isFailure()) {
            ctx.close();
        }
    }

    private void decided(ChannelHandlerContext ctx, Exchange exchange, RequestGate.Decision decision) {
        if (!ctx.channel().isActive()) {
            return;
        }
        switch (decision) {
            case RequestGate.Decision.Refused refused ->
                respond(ctx, exchange, Responses.error(refused.status(), refused.body()), true);
            case RequestGate.Decision.Allowed allowed -> route(ctx, exchange);
        }
    }

    private void route(ChannelHandlerContext ctx, Exchange exchange) {
        HttpRequest request = exchange.request;
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        KubeletRoute route = KubeletRoute.match(uri.rawPath()).orElse(null);
        if (route == null) {
            respond(ctx, exchange, Responses.error(404, "404 page not found"), true);
            return;
        }
        if (!route.methods().contains(request.method())) {
            FullHttpResponse response = Responses.error(405, "405: Method Not Allowed");
            response.headers()
                    .set(
                            HttpHeaderNames.ALLOW,
                            route.methods().stream()
                                    .map(HttpMethod::name)
                                    .sorted(Comparator.naturalOrder())
                                    .collect(Collectors.joining(", ")));
            respond(ctx, exchange, response, true);
            return;
        }
        if (route.debugging() && !api.settings().enableDebuggingHandlers()) {
            respond(ctx, exchange, Responses.error(405, "Debug endpoints are disabled."), true);
            return;
        }
        switch (route) {
            case KubeletRoute.Healthz healthz -> respond(ctx, exchange, Responses.text(200, "ok"), true);
            case KubeletRoute.Pods pods -> answer(ctx, exchange, () -> Responses.json(api.pods()));
            case KubeletRoute.RunningPods running -> answer(ctx, exchange, () -> Responses.json(api.runningPods()));
            case KubeletRoute.Configz configz -> answer(ctx, exchange, () -> Responses.json(api.configz()));
            case KubeletRoute.StatsSummary summary ->
                answer(ctx, exchange, () -> Responses.json(api.statsSummary(onlyCpuAndMemory(uri))));
            case KubeletRoute.ResourceMetrics metrics ->
                answer(ctx, exchange, () -> Responses.of(200, ResourceMetricsText.CONTENT_TYPE, api.resourceMetrics()));
            case KubeletRoute.ContainerLogs logs -> logs(ctx, exchange, logs, uri);
            case KubeletRoute.Stream stream -> stream(ctx, exchange, stream);
        }
    }

    /** The Summary API's {@code only_cpu_and_memory} query parameter, parsed as Go's {@code strconv.ParseBool}. */
    private static boolean onlyCpuAndMemory(QueryStringDecoder uri) {
        return uri.parameters().getOrDefault("only_cpu_and_memory", List.of()).stream()
                .findFirst()
                .map(value -> Set.of("1", "t", "T", "true", "TRUE", "True").contains(value))
                .orElse(false);
    }

    private void logs(
            ChannelHandlerContext ctx, Exchange exchange, KubeletRoute.ContainerLogs route, QueryStringDecoder uri) {
        PodLogQuery query;
        try {
            query = PodLogQuery.parse(uri.parameters(), api.clock());
        } catch (RequestError e) {
            respond(ctx, exchange, Responses.error(e.status(), e.getMessage()), true);
            return;
        }
        ContainerLogResponse response = new ContainerLogResponse(
                ctx.channel(),
                query.options().timestamps(),
                query.options().limitBytes(),
                api.clock(),
                exchange.keepAlive,
                api.blocking(),
                reuse -> onEventLoop(ctx, () -> done(ctx, reuse)));
        offload(ctx, () -> {
            Subscription subscription;
            try {
                subscription = api.logs(route, query, response);
            } catch (RequestError | ProviderException | RuntimeException e) {
                FullHttpResponse error = errorResponse(e, route.namespace() + "/" + route.pod());
                ctx.executor().execute(() -> respond(ctx, exchange, error, true));
                return;
            }
            response.follow(subscription);
            // Read on while the log streams, to notice a client that leaves; its next requests wait in the queue.
            ctx.executor().execute(() -> {
                if (current == exchange && queued.size() < MAX_QUEUED) {
                    ctx.channel().config().setAutoRead(true);
                }
            });
        });
    }

    private void stream(ChannelHandlerContext ctx, Exchange exchange, KubeletRoute.Stream route) {
        offload(ctx, () -> {
            StreamTarget target;
            try {
                target = api.streamTarget(route);
            } catch (RequestError | ProviderException | RuntimeException e) {
                FullHttpResponse error = errorResponse(e, route.namespace() + "/" + route.pod());
                ctx.executor().execute(() -> respond(ctx, exchange, error, true));
                return;
            }
            ctx.executor().execute(() -> handOver(ctx, exchange, target));
        });
    }

    private void handOver(ChannelHandlerContext ctx, Exchange exchange, StreamTarget target) {
        if (!ctx.channel().isActive()) {
            return;
        }
        handedOver = true;
        if (ctx.pipeline().get(IDLE_HANDLER) != null) {
            ctx.pipeline().remove(IDLE_HANDLER); // the stream has its own idle timeout
        }
        try {
            api.streams().handle(ctx, exchange.request, target);
        } catch (RuntimeException e) {
            log.warn("the streaming layer failed to take over a {} request: {}", target.kind(), e.toString());
            ctx.close();
            return;
        }
        ctx.channel().config().setAutoRead(true);
    }

    /** Computes a complete response off the event loop, then sends it. */
    private void answer(ChannelHandlerContext ctx, Exchange exchange, Callable<FullHttpResponse> response) {
        offload(ctx, () -> {
            FullHttpResponse answer;
            try {
                answer = response.call();
            } catch (Exception e) {
                answer = errorResponse(e, exchange.request.uri());
            }
            FullHttpResponse result = answer;
            ctx.executor().execute(() -> respond(ctx, exchange, result, true));
        });
    }

    private static FullHttpResponse errorResponse(Exception e, String subject) {
        if (e instanceof RequestError error) {
            return Responses.error(error.status(), error.getMessage());
        }
        if (e instanceof ProviderException provider) {
            log.warn("the container runtime failed serving {}: {}", subject, provider.getMessage());
            int status = provider.code() == ErrorCode.UNAVAILABLE ? 503 : 500;
            return Responses.error(status, provider.getMessage());
        }
        log.warn("internal error serving {}", subject, e);
        return Responses.error(500, "internal error: " + e);
    }

    private void respond(ChannelHandlerContext ctx, Exchange exchange, FullHttpResponse response, boolean reusable) {
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        boolean keepAlive = reusable && exchange.keepAlive;
        Responses.connection(response, keepAlive);
        ctx.writeAndFlush(response).addListener(future -> done(ctx, keepAlive && future.isSuccess()));
    }

    /** The current exchange ended: serve what was queued meanwhile, or read on, or close. */
    private void done(ChannelHandlerContext ctx, boolean reuse) {
        if (!reuse) {
            ctx.close();
            return;
        }
        skippingBody = current != null && !current.bodyDone;
        current = null;
        Object next;
        while (current == null && !handedOver && (next = queued.poll()) != null) {
            read(ctx, next);
        }
        if (current == null && !handedOver && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void offload(ChannelHandlerContext ctx, Runnable task) {
        try {
            api.blocking().execute(task);
        } catch (RejectedExecutionException e) {
            ctx.close(); // the server is stopping
        }
    }

    private static void onEventLoop(ChannelHandlerContext ctx, Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    private static X509Certificate clientCertificate(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && current == null && !handedOver) {
            ctx.close(); // an idle keep-alive connection, as Go's IdleTimeout
            return;
        }
        if (event instanceof SslCloseCompletionEvent && !handedOver) {
            ctx.close(); // the client's close_notify: it sends nothing more, as EOF for Go's server
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (handedOver) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        log.debug("closing connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

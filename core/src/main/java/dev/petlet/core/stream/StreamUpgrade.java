package dev.petlet.core.stream;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.stream.StreamOptions.BadStreamRequest;
import dev.petlet.core.stream.StreamTarget.Kind;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades an authorized exec, attach or port-forward request to a streaming session, as the kubelet's
 * streaming server does. Two transports:
 *
 * <ul>
 *   <li>SPDY/3.1 ({@code Upgrade: SPDY/3.1}, {@code X-Stream-Protocol-Version}), what kube-apiserver speaks to
 *       kubelets, including for kubectl's WebSockets it translates;
 *   <li>WebSocket with a {@code channel.k8s.io} subprotocol, what older clients and the Python and JavaScript
 *       clients send through the API server unchanged.
 * </ul>
 *
 * <p>A request that cannot be upgraded gets the kubelet's error response (400, or 403 for a protocol the
 * endpoint does not speak) and the connection is closed after it.
 */
public final class StreamUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(StreamUpgrade.class);

    static final String PROTOCOL_VERSION = "X-Stream-Protocol-Version";
    static final String ACCEPTED_PROTOCOL_VERSIONS = "X-Accepted-Stream-Protocol-Versions";
    static final String SPDY_31 = "SPDY/3.1";

    /** The largest WebSocket message taken from a client; stdin and port data arrive in far smaller pieces. */
    static final int MAX_WEBSOCKET_MESSAGE = 1 << 20;

    private StreamUpgrade() {}

    /**
     * Takes over the channel: validates the upgrade (SPDY/3.1 with {@code X-Stream-Protocol-Version}, or WebSocket
     * with a {@code channel.k8s.io} subprotocol), writes the 101 (or an error response), replaces the HTTP handlers
     * with the stream handlers keeping any bytes already buffered, and runs the session until it ends. The
     * request's query holds {@code command}/{@code input}/{@code output}/{@code error}/{@code tty} (exec, attach)
     * or {@code port} (port-forward).
     *
     * <p>Call it on the event loop from the {@code channelRead} that got the request, with an {@code
     * HttpServerCodec} (or {@code HttpRequestDecoder} and {@code HttpResponseEncoder}) in the pipeline and no
     * aggregator in front of it. It returns at once; the session runs on the channel, the process's or pod's
     * blocking I/O on threads of its own. The caller's handler is removed from the pipeline and gets nothing more
     * from this connection; any body of the request is ignored.
     *
     * @param ctx the context of the handler that received the request
     * @param request the upgrade request
     * @param target what the session connects to
     */
    public static void handle(ChannelHandlerContext ctx, HttpRequest request, StreamTarget target) {
        requireNonNull(ctx, "ctx");
        requireNonNull(request, "request");
        requireNonNull(target, "target");
        boolean webSocket = isWebSocket(request.headers());
        StreamOptions options;
        try {
            options = StreamOptions.parse(target.kind(), request.uri(), webSocket);
        } catch (BadStreamRequest e) {
            reject(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage(), EmptyHttpHeaders.INSTANCE);
            return;
        }
        if (webSocket) {
            upgradeWebSocket(ctx, request, target, options);
        } else {
            upgradeSpdy(ctx, request, target, options);
        }
    }

    private static void upgradeSpdy(
            ChannelHandlerContext ctx, HttpRequest request, StreamTarget target, StreamOptions options) {
        List<StreamProtocol> supported = StreamProtocol.supported(target.kind());
        List<String> offered = StreamProtocol.offered(request.headers().getAll(PROTOCOL_VERSION));
        if (offered.isEmpty()) {
            reject(
                    ctx,
                    HttpResponseStatus.BAD_REQUEST,
                    "unable to upgrade: " + PROTOCOL_VERSION + " is required",
                    EmptyHttpHeaders.INSTANCE);
            return;
        }
        Optional<StreamProtocol> chosen = StreamProtocol.choose(offered, supported);
        if (chosen.isEmpty()) {
            HttpHeaders accepted = new DefaultHttpHeaders();
            supported.forEach(protocol -> accepted.add(ACCEPTED_PROTOCOL_VERSIONS, protocol.header()));
            reject(
                    ctx,
                    HttpResponseStatus.FORBIDDEN,
                    "unable to upgrade: unable to negotiate protocol: client supports " + goList(offered)
                            + ", server accepts " + goList(StreamProtocol.headers(supported)),
                    accepted);
            return;
        }
        if (!hasToken(request.headers(), HttpHeaderNames.CONNECTION.toString(), "upgrade")
                || !lower(request.headers().get(HttpHeaderNames.UPGRADE)).contains("spdy/3.1")) {
            reject(
                    ctx,
                    HttpResponseStatus.BAD_REQUEST,
                    "unable to upgrade: missing upgrade headers in request (Connection: Upgrade, Upgrade: SPDY/3.1)",
                    EmptyHttpHeaders.INSTANCE);
            return;
        }
        StreamProtocol protocol = chosen.get();
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers()
                .set(PROTOCOL_VERSION, protocol.header())
                // Spelled as Go's kubelet spells it; kube-apiserver compares without case, other clients may not.
                .set(HttpHeaderNames.CONNECTION, "Upgrade")
                .set(HttpHeaderNames.UPGRADE, SPDY_31);
        // Written through the HTTP codec now, on the event loop, before the codec leaves the pipeline.
        ctx.writeAndFlush(response);
        SpdyConnection connection = new SpdyConnection(
                target.idleTimeout(),
                session -> target.kind() == Kind.PORT_FORWARD
                        ? new SpdyPortForward(session, target)
                        : new SpdyRemoteCommand(session, target, options, protocol));
        Map<String, ChannelHandler> handlers = new LinkedHashMap<>();
        handlers.put("petlet-spdy-codec", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        handlers.put("petlet-spdy-session", connection);
        PipelineSwitch.install(ctx, handlers, true);
        LOG.debug("{} upgraded to SPDY/3.1 {} for {}", ctx.channel(), protocol.header(), describe(target));
    }

    private static void upgradeWebSocket(
            ChannelHandlerContext ctx, HttpRequest request, StreamTarget target, StreamOptions options) {
        List<WebSocketProtocol> supported = WebSocketProtocol.supported(target.kind());
        String requested = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        Optional<WebSocketProtocol> chosen = WebSocketProtocol.choose(requested, supported);
        if (chosen.isEmpty()) {
            reject(
                    ctx,
                    HttpResponseStatus.FORBIDDEN,
                    "unable to upgrade: requested protocol(s) are not supported: "
                            + goList(StreamProtocol.offered(List.of(requested))) + "; supports "
                            + goList(supported.stream()
                                    .map(WebSocketProtocol::header)
                                    .toList()),
                    EmptyHttpHeaders.INSTANCE);
            return;
        }
        if (request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY) == null) {
            reject(
                    ctx,
                    HttpResponseStatus.BAD_REQUEST,
                    "unable to upgrade: not a WebSocket request: Sec-WebSocket-Key is missing",
                    EmptyHttpHeaders.INSTANCE);
            return;
        }
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                        location(request), WebSocketProtocol.names(supported), false, MAX_WEBSOCKET_MESSAGE)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        WebSocketProtocol protocol = chosen.get();
        WebSocketConnection connection = new WebSocketConnection(
                protocol,
                target.idleTimeout(),
                session -> target.kind() == Kind.PORT_FORWARD
                        ? new WebSocketPortForward(session, target, options)
                        : new WebSocketRemoteCommand(session, target, options, protocol));
        Map<String, ChannelHandler> handlers = new LinkedHashMap<>();
        handlers.put("petlet-websocket-aggregator", new WebSocketFrameAggregator(MAX_WEBSOCKET_MESSAGE));
        handlers.put("petlet-websocket-session", connection);
        PipelineSwitch.install(ctx, handlers, false);
        FullHttpRequest handshakeRequest = new DefaultFullHttpRequest(
                request.protocolVersion(),
                request.method(),
                request.uri(),
                Unpooled.EMPTY_BUFFER,
                request.headers().copy(),
                EmptyHttpHeaders.INSTANCE);
        try {
            handshaker.handshake(ctx.channel(), handshakeRequest).addListener(future -> {
                if (future.isSuccess()) {
                    connection.open();
                } else {
                    LOG.debug(
                            "WebSocket handshake with {} failed: {}",
                            ctx.channel(),
                            future.cause().toString());
                    ctx.channel().close();
                }
            });
        } catch (RuntimeException e) {
            // The request passed the checks above, so this is a handshaker we do not understand: give up on it.
            LOG.debug("WebSocket handshake with {} failed: {}", ctx.channel(), e.toString());
            ctx.channel().close();
            return;
        }
        LOG.debug("{} upgraded to WebSocket {} for {}", ctx.channel(), protocol.header(), describe(target));
    }

    private static void reject(
            ChannelHandlerContext ctx, HttpResponseStatus status, String message, HttpHeaders extraHeaders) {
        LOG.debug("refusing to upgrade {}: {} {}", ctx.channel(), status.code(), message);
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .add(extraHeaders)
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set("X-Content-Type-Options", "nosniff")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** What upstream's {@code wsstream.IsWebSocketRequest} checks. */
    static boolean isWebSocket(HttpHeaders headers) {
        return "websocket".equalsIgnoreCase(headers.get(HttpHeaderNames.UPGRADE))
                && hasToken(headers, HttpHeaderNames.CONNECTION.toString(), "upgrade");
    }

    private static boolean hasToken(HttpHeaders headers, String name, String token) {
        for (String value : headers.getAll(name)) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }

    /** Go's {@code %v} of a string slice, as upstream's messages print it. */
    private static String goList(List<String> values) {
        return "[" + String.join(" ", values) + "]";
    }

    private static String location(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        return "wss://" + host + request.uri();
    }

    private static String describe(StreamTarget target) {
        return switch (target.kind()) {
            case EXEC -> "exec in container " + target.containerId();
            case ATTACH -> "attach to container " + target.containerId();
            case PORT_FORWARD -> "port-forward to pod sandbox " + target.sandboxId();
        };
    }
}

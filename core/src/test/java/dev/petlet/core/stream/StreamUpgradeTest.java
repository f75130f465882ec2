package dev.petlet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.stream.RawClient.Response;
import dev.petlet.core.stream.StreamTarget.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The upgrade handshake and the SPDY session layer on an {@link EmbeddedChannel}, with no session ever started
 * (that would need threads): what is refused and how, what survives the pipeline switch, and what closes a
 * connection.
 */
class StreamUpgradeTest {
    private static final String EXEC = "/exec/ns/pod/c?command=ls&output=1";
    private final FakeRuntime runtime = new FakeRuntime();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final EmbeddedChannel client = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

    @AfterEach
    void closeChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        client.finishAndReleaseAll();
    }

    @Test
    void missingProtocolVersionIsABadRequest() throws IOException {
        EmbeddedChannel channel = server(Kind.EXEC, Duration.ofHours(4));
        Response response = spdy(channel, EXEC);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("unable to upgrade: X-Stream-Protocol-Version is required\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void unsupportedProtocolsAreForbiddenAndTheAcceptedOnesListed() throws IOException {
        EmbeddedChannel channel = server(Kind.EXEC, Duration.ofHours(4));
        Response response = spdy(channel, EXEC, "X-Stream-Protocol-Version: v9.channel.k8s.io, portforward.k8s.io");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.headers().get("x-accepted-stream-protocol-versions"))
                .containsExactly(
                        "v5.channel.k8s.io",
                        "v4.channel.k8s.io",
                        "v3.channel.k8s.io",
                        "v2.channel.k8s.io",
                        "channel.k8s.io");
        assertThat(response.body())
                .isEqualTo("unable to upgrade: unable to negotiate protocol: client supports [v9.channel.k8s.io"
                        + " portforward.k8s.io], server accepts [v5.channel.k8s.io v4.channel.k8s.io v3.channel.k8s.io"
                        + " v2.channel.k8s.io channel.k8s.io]\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void theFirstSupportedProtocolIsChosenAndTheHttpHandlersLeave() throws IOException {
        EmbeddedChannel channel = server(Kind.EXEC, Duration.ofHours(4));
        Response response = spdy(
                channel,
                EXEC,
                "X-Stream-Protocol-Version: v9.channel.k8s.io,v4.channel.k8s.io",
                "X-Stream-Protocol-Version: v5.channel.k8s.io",
                "Content-Length: 0");

        assertThat(response.status()).isEqualTo(101);
        assertThat(response.header("X-Stream-Protocol-Version")).isEqualTo("v4.channel.k8s.io");
        assertThat(response.header("Connection")).isEqualTo("Upgrade");
        assertThat(response.header("Upgrade")).isEqualTo("SPDY/3.1");
        assertThat(channel.pipeline().get(HttpServerCodec.class)).isNull();
        assertThat(channel.pipeline().get(Router.class)).isNull();
        assertThat(channel.pipeline().get(SpdyFrameCodec.class)).isNotNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void portForwardSpeaksOnlyItsOwnProtocol() throws IOException {
        Response refused = spdy(
                server(Kind.PORT_FORWARD, Duration.ofHours(4)),
                "/portForward/ns/pod",
                "X-Stream-Protocol-Version: v4.channel.k8s.io");
        Response accepted = spdy(
                server(Kind.PORT_FORWARD, Duration.ofHours(4)),
                "/portForward/ns/pod",
                "X-Stream-Protocol-Version: portforward.k8s.io");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.headers().get("x-accepted-stream-protocol-versions")).containsExactly("portforward.k8s.io");
        assertThat(accepted.status()).isEqualTo(101);
        assertThat(accepted.header("X-Stream-Protocol-Version")).isEqualTo("portforward.k8s.io");
    }

    @Test
    void aRequestWithoutUpgradeHeadersOrWithABadQueryIsABadRequest() throws IOException {
        Response noUpgrade = request(
                server(Kind.EXEC, Duration.ofHours(4)), "GET", EXEC, "X-Stream-Protocol-Version: v4.channel.k8s.io");
        Response noCommand = spdy(
                server(Kind.EXEC, Duration.ofHours(4)),
                "/exec/ns/pod/c?output=1",
                "X-Stream-Protocol-Version: v4.channel.k8s.io");

        assertThat(noUpgrade.status()).isEqualTo(400);
        assertThat(noUpgrade.body()).startsWith("unable to upgrade: missing upgrade headers in request");
        assertThat(noCommand.status()).isEqualTo(400);
        assertThat(noCommand.body()).contains("exec needs a command");
    }

    @Test
    void webSocketRefusals() throws IOException {
        Response unsupported = webSocket(server(Kind.EXEC, Duration.ofHours(4)), EXEC, "chat, superchat");
        Response noPort =
                webSocket(server(Kind.PORT_FORWARD, Duration.ofHours(4)), "/portForward/ns/pod", "v4.channel.k8s.io");

        assertThat(unsupported.status()).isEqualTo(403);
        assertThat(unsupported.body())
                .startsWith("unable to upgrade: requested protocol(s) are not supported: [chat superchat]");
        assertThat(noPort.status()).isEqualTo(400);
        assertThat(noPort.body()).isEqualTo("query parameter \"port\" is required\n");
    }

    @Test
    void framesThatCameWithTheRequestAreAnswered() throws IOException {
        EmbeddedChannel channel = server(Kind.EXEC, Duration.ofHours(4));
        DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(1, 0, (byte) 0);
        syn.headers().set("streamtype", "error");
        byte[] frames = encode(syn, new DefaultSpdyPingFrame(1));

        Response response =
                request(channel, frames, "POST", EXEC, spdyHeaders("X-Stream-Protocol-Version: v4.channel.k8s.io"));
        List<Object> received = serverFrames(response);

        assertThat(response.status()).isEqualTo(101);
        assertThat(received).hasSize(2);
        SpdySynReplyFrame reply = (SpdySynReplyFrame) received.get(0);
        assertThat(reply.streamId()).isEqualTo(1);
        // spdystream cannot read an empty header block, which is what Netty writes for a reply without headers.
        assertThat(reply.headers().getAsString("streamtype")).isEqualTo("error");
        assertThat(((SpdyPingFrame) received.get(1)).id()).isEqualTo(1);
    }

    @Test
    void garbageAfterTheUpgradeClosesTheConnectionQuietly() throws IOException {
        EmbeddedChannel channel = upgraded(Kind.EXEC, Duration.ofHours(4));

        // A control frame claiming SPDY version 2.
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 2, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1}));

        assertThat(channel.isOpen()).isFalse();
        channel.checkException();
    }

    @Test
    void anUnreadableHeaderBlockClosesTheConnectionQuietly() throws IOException {
        EmbeddedChannel channel = upgraded(Kind.EXEC, Duration.ofHours(4));

        // SYN_STREAM for stream 1 whose header block is not zlib data.
        channel.writeInbound(Unpooled.wrappedBuffer(
                new byte[] {(byte) 0x80, 3, 0, 1, 0, 0, 0, 18, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}));

        assertThat(channel.isOpen()).isFalse();
        channel.checkException();
    }

    @Test
    void streamsThatDoNotArriveInTimeCloseTheConnection() throws IOException {
        EmbeddedChannel channel = upgraded(Kind.EXEC, Duration.ofHours(4));
        DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(1, 0, (byte) 0);
        syn.headers().set("streamtype", "error");
        channel.writeInbound(Unpooled.wrappedBuffer(encode(syn)));

        channel.advanceTimeBy(29, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anIdleSessionIsClosedWithGoAway() throws IOException {
        EmbeddedChannel channel = upgraded(Kind.PORT_FORWARD, Duration.ofMinutes(1));

        channel.advanceTimeBy(50, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.writeInbound(Unpooled.wrappedBuffer(encode(new DefaultSpdyPingFrame(1))));
        channel.advanceTimeBy(50, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(11, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        List<Object> frames = decode(drain(channel));
        assertThat(frames.get(frames.size() - 1)).isInstanceOf(SpdyGoAwayFrame.class);
    }

    // ---- helpers

    private EmbeddedChannel server(Kind kind, Duration idleTimeout) {
        StreamTarget target = kind == Kind.PORT_FORWARD
                ? new StreamTarget(kind, null, FakeRuntime.SANDBOX, List.of(), runtime, idleTimeout)
                : new StreamTarget(kind, FakeRuntime.CONTAINER, null, List.of(), runtime, idleTimeout);
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new Router(target));
        channel.freezeTime();
        channels.add(channel);
        return channel;
    }

    private EmbeddedChannel upgraded(Kind kind, Duration idleTimeout) throws IOException {
        EmbeddedChannel channel = server(kind, idleTimeout);
        String protocol = kind == Kind.PORT_FORWARD ? "portforward.k8s.io" : "v4.channel.k8s.io";
        String uri = kind == Kind.PORT_FORWARD ? "/portForward/ns/pod" : EXEC;
        Response response = spdy(channel, uri, "X-Stream-Protocol-Version: " + protocol);
        assertThat(response.status()).isEqualTo(101);
        return channel;
    }

    /** A WebSocket upgrade request asking for subprotocols. */
    private Response webSocket(EmbeddedChannel channel, String uri, String subprotocols) throws IOException {
        return request(
                channel,
                "GET",
                uri,
                "Connection: Upgrade",
                "Upgrade: websocket",
                "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: " + WebSocketTestClient.key(),
                "Sec-WebSocket-Protocol: " + subprotocols);
    }

    /** A SPDY upgrade request (POST, as kube-apiserver sends it) with more headers. */
    private Response spdy(EmbeddedChannel channel, String uri, String... headers) throws IOException {
        return request(channel, "POST", uri, spdyHeaders(headers));
    }

    private static String[] spdyHeaders(String... more) {
        String[] all = new String[more.length + 2];
        all[0] = "Connection: Upgrade";
        all[1] = "Upgrade: SPDY/3.1";
        System.arraycopy(more, 0, all, 2, more.length);
        return all;
    }

    private Response request(EmbeddedChannel channel, String method, String uri, String... headers) throws IOException {
        return request(channel, new byte[0], method, uri, headers);
    }

    /** Sends a request followed at once by more bytes; the response's body holds what came after its head. */
    private Response request(EmbeddedChannel channel, byte[] after, String method, String uri, String... headers)
            throws IOException {
        StringBuilder request = new StringBuilder(method + " " + uri + " HTTP/1.1\r\nHost: node\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(request.toString().getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(after);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes.toByteArray()));
        ByteArrayInputStream output = new ByteArrayInputStream(drain(channel));
        Response response = RawClient.readResponse(output);
        return response.status() == 101
                ? new Response(101, response.headers(), new String(output.readAllBytes(), StandardCharsets.ISO_8859_1))
                : response;
    }

    private List<Object> serverFrames(Response upgraded) {
        return decode(upgraded.body().getBytes(StandardCharsets.ISO_8859_1));
    }

    private List<Object> decode(byte[] bytes) {
        client.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<Object> frames = new ArrayList<>();
        Object frame;
        while ((frame = client.readInbound()) != null) {
            frames.add(frame);
            ReferenceCountUtil.release(frame);
        }
        return frames;
    }

    private byte[] encode(Object... frames) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Object frame : frames) {
            client.writeOutbound(frame);
            ByteBuf encoded;
            while ((encoded = client.readOutbound()) != null) {
                byte[] copy = new byte[encoded.readableBytes()];
                encoded.readBytes(copy);
                encoded.release();
                bytes.writeBytes(copy);
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] drain(EmbeddedChannel channel) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ByteBuf buffer = (ByteBuf) out;
            byte[] copy = new byte[buffer.readableBytes()];
            buffer.readBytes(copy);
            buffer.release();
            bytes.writeBytes(copy);
        }
        return bytes.toByteArray();
    }

    /** Stands in for the server's router. */
    private static final class Router extends ChannelInboundHandlerAdapter {
        private final StreamTarget target;

        Router(StreamTarget target) {
            this.target = target;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                StreamUpgrade.handle(ctx, request, target);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}

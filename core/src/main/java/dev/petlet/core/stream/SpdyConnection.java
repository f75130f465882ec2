package dev.petlet.core.stream;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyProtocolException;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of a SPDY/3.1 session as Go's spdystream speaks it, on top of Netty's {@code SpdyFrameCodec}.
 * Netty's own {@code SpdySessionHandler} is not used: it enforces SPDY send windows, and spdystream never sends
 * WINDOW_UPDATE, so output beyond 64 KB would stall. Here WINDOW_UPDATE and SETTINGS are ignored and {@link
 * FlowControl} bounds memory instead.
 *
 * <p>The client opens every stream. Each SYN_STREAM is offered to the {@link Application}, then answered with
 * SYN_REPLY or reset. DATA goes to the stream's listener, FIN half-closes, RST_STREAM resets, client PINGs are
 * echoed, GOAWAY only means the client opens no more streams. {@link #end()} finishes every stream and sends
 * GOAWAY. Protocol errors close the connection with GOAWAY PROTOCOL_ERROR.
 */
final class SpdyConnection extends StreamConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SpdyConnection.class);

    /** What runs over the session: exec or attach, or port-forward. Called on the event loop. */
    interface Application {
        /** Whether to take a stream the client opens: null to accept it, else why it is reset. */
        String check(SpdyStream stream);

        /** A stream was accepted and answered. */
        void opened(SpdyStream stream);

        /** The connection closed; release everything. */
        void closed();
    }

    private final Function<SpdyConnection, Application> applications;
    private final Map<Integer, SpdyStream> streams = new HashMap<>();
    private Application application;
    private int lastStreamId;

    /**
     * @param applications makes the application once the handler is in the pipeline
     */
    SpdyConnection(Duration idleTimeout, Function<SpdyConnection, Application> applications) {
        super(idleTimeout);
        this.applications = applications;
    }

    @Override
    void started() {
        application = applications.apply(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        touch();
        try {
            switch (msg) {
                case SpdySynStreamFrame frame -> synStream(frame);
                case SpdyDataFrame frame -> data(frame);
                case SpdyRstStreamFrame frame -> reset(frame);
                case SpdyPingFrame frame -> ping(frame);
                case SpdyGoAwayFrame frame -> LOG.debug("client {} will open no more streams", ctx.channel());
                case SpdySynReplyFrame frame -> protocolError("a SYN_REPLY for stream " + frame.streamId());
                default -> {
                    // SETTINGS, WINDOW_UPDATE, HEADERS, unknown frames, and what the HTTP codec left behind.
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void synStream(SpdySynStreamFrame frame) {
        int id = frame.streamId();
        if (frame.isInvalid() || frame.isTruncated() || id % 2 == 0 || id <= lastStreamId) {
            LOG.debug("refusing malformed stream {} from {}", id, ctx().channel());
            ctx().writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
            return;
        }
        lastStreamId = id;
        Map<String, String> headers = new HashMap<>();
        Iterator<Map.Entry<String, String>> entries = frame.headers().iteratorAsString();
        while (entries.hasNext()) {
            Map.Entry<String, String> header = entries.next();
            headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
        }
        SpdyStream stream = new SpdyStream(this, id, headers);
        String refusal = isEnding() ? "the session is ending" : application.check(stream);
        if (refusal != null) {
            LOG.debug("refusing stream {} from {}: {}", id, ctx().channel(), refusal);
            ctx().writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
            return;
        }
        streams.put(id, stream);
        ctx().writeAndFlush(reply(stream));
        application.opened(stream);
        if (frame.isLast()) {
            stream.receivedEnd();
        }
    }

    /**
     * A SYN_REPLY with one header. spdystream ignores reply headers, but fails on an empty header block, which
     * is what Netty encodes for no headers at all (Go writes a compressed count of zero instead).
     */
    private static SpdySynReplyFrame reply(SpdyStream stream) {
        SpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(stream.id());
        String type = stream.header("streamtype");
        reply.headers().set("streamtype", type == null || type.isEmpty() ? "unknown" : type);
        return reply;
    }

    private void data(SpdyDataFrame frame) {
        SpdyStream stream = streams.get(frame.streamId());
        if (stream == null) {
            return;
        }
        stream.received(frame.content());
        if (frame.isLast()) {
            stream.receivedEnd();
            forgetIfDone(stream);
        }
    }

    private void reset(SpdyRstStreamFrame frame) {
        SpdyStream stream = streams.remove(frame.streamId());
        if (stream != null) {
            stream.receivedReset();
        }
    }

    private void ping(SpdyPingFrame frame) {
        // Odd ids are the client's pings; even ones would answer pings of ours, and petlet sends none.
        if ((frame.id() & 1) == 1) {
            ctx().writeAndFlush(new DefaultSpdyPingFrame(frame.id()));
        }
    }

    private void protocolError(String what) {
        LOG.debug("closing SPDY connection {}: unexpected {}", ctx().channel(), what);
        goAway(SpdySessionStatus.PROTOCOL_ERROR);
        close();
    }

    /** Sends FIN on a stream whose local half just closed. Event loop. */
    void finish(SpdyStream stream) {
        if (isClosed()) {
            return;
        }
        SpdyDataFrame fin = new DefaultSpdyDataFrame(stream.id(), Unpooled.EMPTY_BUFFER);
        fin.setLast(true);
        touch();
        ctx().writeAndFlush(fin);
        forgetIfDone(stream);
    }

    /** Sends RST_STREAM for a stream this side abandons. Event loop. */
    void reset(SpdyStream stream) {
        streams.remove(stream.id());
        if (!isClosed()) {
            ctx().writeAndFlush(new DefaultSpdyRstStreamFrame(stream.id(), SpdyStreamStatus.CANCEL));
        }
    }

    private void forgetIfDone(SpdyStream stream) {
        if (stream.fullyClosed()) {
            streams.remove(stream.id());
        }
    }

    /** FIN on every stream still open this way, then GOAWAY. */
    @Override
    void farewell() {
        for (SpdyStream stream : new ArrayList<>(streams.values())) {
            stream.close();
        }
        goAway(SpdySessionStatus.OK);
    }

    private void goAway(SpdySessionStatus status) {
        if (ctx().channel().isActive()) {
            ctx().writeAndFlush(new DefaultSpdyGoAwayFrame(lastStreamId, status));
        }
    }

    @Override
    void idleFarewell() {
        goAway(SpdySessionStatus.OK);
    }

    @Override
    void disconnected() {
        List<SpdyStream> open = new ArrayList<>(streams.values());
        streams.clear();
        for (SpdyStream stream : open) {
            stream.receivedReset();
        }
        application.closed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SpdyProtocolException) {
            goAway(SpdySessionStatus.PROTOCOL_ERROR);
        }
        super.exceptionCaught(ctx, cause);
    }
}

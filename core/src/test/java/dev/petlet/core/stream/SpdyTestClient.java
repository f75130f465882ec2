package dev.petlet.core.stream;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * A SPDY/3.1 client in the style of spdystream, over a {@link RawClient} that got its 101: frames are built with
 * Netty's {@link SpdyFrameCodec} (one instance encodes, another decodes, so the writing test thread and the
 * reading thread share nothing) and never a WINDOW_UPDATE. A reader thread records what the server sends;
 * tests poll the record. {@link #pauseReading()} stops taking bytes off the socket, to push back.
 */
final class SpdyTestClient implements AutoCloseable {
    private final RawClient raw;
    private final EmbeddedChannel encoder = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    private final EmbeddedChannel decoder = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    private final Semaphore reading = new Semaphore(1);
    private final Map<Integer, ByteArrayOutputStream> data = new HashMap<>();
    private final Map<Integer, Map<String, String>> replies = new HashMap<>();
    private final Set<Integer> finished = new HashSet<>();
    private final Map<Integer, Integer> resets = new HashMap<>();
    private final List<Integer> pings = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();
    private SpdyGoAwayFrame goAway;
    private boolean closed;
    private int nextStreamId = 1;

    SpdyTestClient(RawClient raw) {
        this.raw = raw;
        Thread.ofVirtual().name("spdy-client-reader").start(this::read);
    }

    /** Opens a stream with headers (name, value pairs); returns its id. */
    synchronized int open(String... headers) throws IOException {
        int id = nextStreamId;
        nextStreamId += 2;
        DefaultSpdySynStreamFrame frame = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        for (int i = 0; i < headers.length; i += 2) {
            frame.headers().add(headers[i], headers[i + 1]);
        }
        send(frame);
        return id;
    }

    void data(int id, String text) throws IOException {
        data(id, text.getBytes(StandardCharsets.UTF_8));
    }

    void data(int id, byte[] bytes) throws IOException {
        send(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(bytes)));
    }

    void fin(int id) throws IOException {
        SpdyDataFrame frame = new DefaultSpdyDataFrame(id);
        frame.setLast(true);
        send(frame);
    }

    /** Resets a stream, as client-go does for every stream when it hangs up. */
    void sendReset(int id) throws IOException {
        send(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
    }

    void ping(int id) throws IOException {
        send(new DefaultSpdyPingFrame(id));
    }

    synchronized void send(SpdyFrame frame) throws IOException {
        if (frame instanceof SpdyWindowUpdateFrame) {
            throw new AssertionError("spdystream never sends WINDOW_UPDATE, neither does this client");
        }
        raw.writeEncoded(encoder, frame);
    }

    void pauseReading() throws InterruptedException {
        reading.acquire();
    }

    void resumeReading() {
        reading.release();
    }

    private void read() {
        byte[] buffer = new byte[16 * 1024];
        try {
            while (true) {
                reading.acquireUninterruptibly();
                int count;
                try {
                    count = raw.in.read(buffer);
                } finally {
                    reading.release();
                }
                if (count < 0) {
                    break;
                }
                decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, count));
                Object frame;
                while ((frame = decoder.readInbound()) != null) {
                    record(frame);
                }
                decoder.checkException();
            }
        } catch (Exception e) {
            synchronized (this) {
                unexpected.add("reader: " + e);
            }
        }
        synchronized (this) {
            closed = true;
        }
    }

    private synchronized void record(Object frame) {
        try {
            switch (frame) {
                case SpdySynReplyFrame reply -> {
                    Map<String, String> headers = new HashMap<>();
                    reply.headers().iteratorAsString().forEachRemaining(e -> headers.put(e.getKey(), e.getValue()));
                    replies.put(reply.streamId(), headers);
                }
                case SpdyDataFrame dataFrame -> {
                    if (finished.contains(dataFrame.streamId())) {
                        unexpected.add("data after FIN on stream " + dataFrame.streamId());
                    }
                    data.computeIfAbsent(dataFrame.streamId(), id -> new ByteArrayOutputStream())
                            .writeBytes(ByteBufUtil.getBytes(dataFrame.content()));
                    if (dataFrame.isLast()) {
                        finished.add(dataFrame.streamId());
                    }
                }
                case SpdyRstStreamFrame reset ->
                    resets.put(reset.streamId(), reset.status().code());
                case SpdyPingFrame ping -> pings.add(ping.id());
                case SpdyGoAwayFrame frame1 -> goAway = frame1;
                default -> unexpected.add("frame " + frame);
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    synchronized boolean replied(int id) {
        return replies.containsKey(id);
    }

    synchronized Map<String, String> reply(int id) {
        return replies.get(id);
    }

    synchronized String text(int id) {
        ByteArrayOutputStream bytes = data.get(id);
        return bytes == null ? "" : bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized long received(int id) {
        ByteArrayOutputStream bytes = data.get(id);
        return bytes == null ? 0 : bytes.size();
    }

    synchronized boolean finished(int id) {
        return finished.contains(id);
    }

    synchronized Integer reset(int id) {
        return resets.get(id);
    }

    synchronized List<Integer> pings() {
        return List.copyOf(pings);
    }

    synchronized SpdyGoAwayFrame goAway() {
        return goAway;
    }

    synchronized boolean closed() {
        return closed;
    }

    synchronized List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    @Override
    public void close() throws IOException {
        raw.close();
        encoder.finishAndReleaseAll();
    }
}

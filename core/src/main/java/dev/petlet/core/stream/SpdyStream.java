package dev.petlet.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import java.io.IOException;
import java.util.Map;

/**
 * One SPDY stream the client opened. The client's half delivers to a {@link Listener} on the event loop; this
 * side's half is a {@link ClientStream}. State changes happen on the event loop, except that writes may come
 * from any thread.
 */
final class SpdyStream implements ClientStream {
    /** Largest DATA frame sent; spdystream takes any size, smaller frames interleave streams more fairly. */
    static final int MAX_DATA_FRAME = 32 * 1024;

    /** Receives the client's half of a stream, on the event loop. */
    interface Listener {
        /** Bytes from the client; valid only during the call. */
        default void data(ByteBuf data) {}

        /** The client half-closed the stream (FIN). */
        default void end() {}

        /** The client reset the stream, or the connection closed. */
        default void reset() {}
    }

    private static final Listener IGNORE = new Listener() {};

    private final SpdyConnection connection;
    private final int id;
    private final Map<String, String> headers;
    private Listener listener = IGNORE;
    private volatile boolean localClosed;
    private boolean remoteClosed;
    private boolean resetReceived;

    /**
     * @param headers the SYN_STREAM's headers, names in lower case as spdystream sends them
     */
    SpdyStream(SpdyConnection connection, int id, Map<String, String> headers) {
        this.connection = connection;
        this.id = id;
        this.headers = Map.copyOf(headers);
    }

    int id() {
        return id;
    }

    /** A header of the SYN_STREAM by lower-case name, or null. */
    String header(String name) {
        return headers.get(name);
    }

    /** Directs the client's data. Event loop. */
    void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void write(byte[] data) throws IOException {
        int offset = 0;
        do {
            if (localClosed) {
                throw new IOException("stream " + id + " is closed");
            }
            int length = Math.min(MAX_DATA_FRAME, data.length - offset);
            connection.send(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(data, offset, length)), length);
            offset += length;
        } while (offset < data.length);
    }

    @Override
    public void write(ByteBuf data) throws IOException {
        try {
            do {
                if (localClosed) {
                    throw new IOException("stream " + id + " is closed");
                }
                int length = Math.min(MAX_DATA_FRAME, data.readableBytes());
                connection.send(new DefaultSpdyDataFrame(id, data.readRetainedSlice(length)), length);
            } while (data.isReadable());
        } finally {
            data.release();
        }
    }

    @Override
    public void close() {
        connection.onEventLoop(() -> {
            if (!localClosed) {
                localClosed = true;
                connection.finish(this);
            }
        });
    }

    /** Resets the stream (RST_STREAM CANCEL), as upstream rejects or abandons one. Any thread. */
    void reset() {
        connection.onEventLoop(() -> {
            boolean wasOpen = !localClosed || !remoteClosed;
            localClosed = true;
            remoteClosed = true;
            if (wasOpen) {
                connection.reset(this);
            }
        });
    }

    boolean fullyClosed() {
        return localClosed && remoteClosed;
    }

    void received(ByteBuf data) {
        if (!remoteClosed && data.isReadable()) {
            listener.data(data);
        }
    }

    void receivedEnd() {
        if (!remoteClosed) {
            remoteClosed = true;
            listener.end();
        }
    }

    /** The client reset the stream or the connection closed: this side is done too. Once. */
    void receivedReset() {
        if (resetReceived) {
            return;
        }
        resetReceived = true;
        localClosed = true;
        remoteClosed = true;
        listener.reset();
    }
}

package dev.petlet.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;

/**
 * One logical stream toward the client (standard output or error, the error stream, a port's data): a SPDY
 * stream or a WebSocket channel. Writes keep their order and arrive before {@link #close()}.
 */
interface ClientStream {
    /**
     * Sends bytes. On a worker thread this waits while the client is behind ({@link FlowControl}); on the event
     * loop it never waits, for small messages only.
     *
     * @throws IOException if the stream or the connection is closed
     */
    void write(byte[] data) throws IOException;

    /**
     * Sends the readable bytes of a buffer, as {@link #write(byte[])}, and takes it over: it is released once
     * written, or at once if this fails. Lets bulk data go out without a copy.
     */
    default void write(ByteBuf data) throws IOException {
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(data);
        } finally {
            data.release();
        }
        write(bytes);
    }

    /** Ends the stream toward the client (SPDY: FIN); later writes fail. Idempotent, any thread. */
    void close();
}

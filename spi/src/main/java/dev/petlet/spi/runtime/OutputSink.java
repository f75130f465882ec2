package dev.petlet.spi.runtime;

import java.io.IOException;

/**
 * Receives the output of an exec or attach session. Implemented by the core. Called from one provider thread
 * per session, in order; it may block, which slows reading from the process down (backpressure) but no other
 * stream. With a terminal everything arrives as {@link StreamType#STDOUT}. Throwing ends the session.
 */
@FunctionalInterface
public interface OutputSink {
    /**
     * Receives the next chunk of output.
     *
     * @param stream which stream it came from
     * @param data the bytes, never empty, owned by the receiver from now on
     */
    void accept(StreamType stream, byte[] data) throws IOException;
}

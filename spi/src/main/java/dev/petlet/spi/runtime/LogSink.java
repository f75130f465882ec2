package dev.petlet.spi.runtime;

import java.io.IOException;

/**
 * Receives the frames of a {@link ContainerRuntime#logs} call. Implemented by the core. Called from one
 * provider thread per subscription, one frame at a time in log order; it may block, which slows reading from
 * the runtime down (backpressure) but no other stream. Throwing ends the subscription, whose completion then
 * fails with that exception.
 */
@FunctionalInterface
public interface LogSink {
    /** Receives the next frame. */
    void accept(LogFrame frame) throws IOException;
}

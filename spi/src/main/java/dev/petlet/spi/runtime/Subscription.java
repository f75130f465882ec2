package dev.petlet.spi.runtime;

import java.util.concurrent.CompletionStage;

/**
 * A running delivery of a stream of items to a callback, returned by {@link ContainerRuntime#logs} and {@link
 * ContainerRuntime#events}. The caller owns it and must {@link #close()} it, also after it completed; closing
 * twice is harmless.
 */
public interface Subscription extends AutoCloseable {
    /**
     * Completes normally once the stream ended and its last item was delivered (or {@link #close()} was
     * called), and exceptionally with a {@link dev.petlet.spi.ProviderException} if the stream broke, or with
     * what the callback threw.
     */
    CompletionStage<Void> completion();

    /**
     * Stops delivery and releases the stream. A callback already running finishes; no further one starts.
     */
    @Override
    void close();
}

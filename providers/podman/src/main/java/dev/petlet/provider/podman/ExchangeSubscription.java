package dev.petlet.provider.podman;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;

/**
 * A {@link Subscription} fed by one streaming exchange and one reader thread: the thread awaits Podman's
 * answer, runs the {@link Reader} over the body, and always closes the exchange when done. {@link #close()}
 * closes the exchange, which ends the reader at its next read.
 */
final class ExchangeSubscription implements Subscription {
    /** Reads a body until its end, delivering items; checks {@code closed} before each delivery. */
    @FunctionalInterface
    interface Reader {
        void read(InputStream body, BooleanSupplier closed) throws Exception;
    }

    private final HttpExchange exchange;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private volatile boolean closed;

    private ExchangeSubscription(HttpExchange exchange) {
        this.exchange = exchange;
    }

    /**
     * Starts reading a sent exchange on a new thread.
     *
     * @param action what is being read, for error messages: "follow the logs of container abc"
     * @param endIsFailure whether the stream ending by itself is a failure (the event stream never ends)
     */
    static ExchangeSubscription start(
            LibpodClient libpod,
            HttpExchange exchange,
            String action,
            boolean endIsFailure,
            ThreadFactory threads,
            Reader reader) {
        ExchangeSubscription subscription = new ExchangeSubscription(exchange);
        threads.newThread(() -> subscription.run(libpod, action, endIsFailure, reader))
                .start();
        return subscription;
    }

    private void run(LibpodClient libpod, String action, boolean endIsFailure, Reader reader) {
        try (exchange) {
            exchange.awaitResponse(null);
            libpod.checkSucceeded(action, exchange);
            reader.read(exchange.body(), () -> closed);
            if (endIsFailure && !closed) {
                completion.completeExceptionally(
                        new ProviderException(ErrorCode.UNAVAILABLE, "Podman ended the stream to " + action));
            } else {
                completion.complete(null);
            }
        } catch (Throwable failure) {
            if (closed) {
                completion.complete(null);
            } else {
                completion.completeExceptionally(asProviderFailure(action, failure));
            }
        }
    }

    /** Provider errors and the sink's own exceptions pass through; I/O trouble becomes UNAVAILABLE. */
    static Throwable asProviderFailure(String action, Throwable failure) {
        if (failure instanceof IOException io && !(failure instanceof SinkException)) {
            return new ProviderException(
                    ErrorCode.UNAVAILABLE, "the stream to " + action + " broke: " + io.getMessage(), io);
        }
        if (failure instanceof SinkException sink) {
            return sink.getCause();
        }
        return failure;
    }

    @Override
    public CompletionStage<Void> completion() {
        return completion;
    }

    @Override
    public void close() {
        closed = true;
        exchange.close();
    }

    /** Wraps what the caller's sink threw, so it is not mistaken for a broken connection. */
    static final class SinkException extends IOException {
        SinkException(Throwable cause) {
            super(cause);
        }
    }
}

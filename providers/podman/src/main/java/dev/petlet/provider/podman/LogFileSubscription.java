package dev.petlet.provider.podman;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.LogOptions;
import dev.petlet.spi.runtime.LogSink;
import dev.petlet.spi.runtime.Subscription;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Subscription} that reads a container's log file ({@link ContainerLogFile}) on its own thread. While
 * following it waits for changes in the file's folder (inotify through a {@link WatchService}) and asks
 * whether the container still runs after every second without a change, as the kubelet checks the container's
 * state while it follows a log.
 */
final class LogFileSubscription implements Subscription {
    /** Whether the container still runs, so its log may grow. */
    @FunctionalInterface
    interface ContainerRunning {
        boolean running() throws ProviderException;
    }

    private static final long STATE_CHECK_MILLIS = 1000;

    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private volatile WatchService watch;
    private volatile boolean closed;

    private LogFileSubscription() {}

    /**
     * Starts reading on a new thread.
     *
     * @param action what is being read, for error messages: "read the logs of container abc"
     */
    static LogFileSubscription start(
            Path file,
            LogOptions options,
            LogSink sink,
            String action,
            ContainerRunning running,
            ThreadFactory threads) {
        LogFileSubscription subscription = new LogFileSubscription();
        threads.newThread(() -> subscription.run(file, options, sink, action, running))
                .start();
        return subscription;
    }

    private void run(Path file, LogOptions options, LogSink sink, String action, ContainerRunning running) {
        try {
            if (options.follow()) {
                watch = file.getFileSystem().newWatchService();
                // Registered before the first read, so no change after it goes unnoticed.
                file.toAbsolutePath().getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY);
                if (closed) {
                    watch.close();
                }
            }
            ContainerLogFile.deliver(file, options, sink, () -> closed, () -> awaitGrowth(running));
            completion.complete(null);
        } catch (Throwable failure) {
            if (closed || failure instanceof ClosedWatchServiceException) {
                completion.complete(null);
            } else {
                completion.completeExceptionally(ExchangeSubscription.asProviderFailure(action, failure));
            }
        } finally {
            closeWatch();
        }
    }

    private boolean awaitGrowth(ContainerRunning running) throws InterruptedException, IOException {
        WatchKey key = watch.poll(STATE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (key != null) {
            key.pollEvents();
            key.reset();
            return true;
        }
        try {
            return running.running();
        } catch (ProviderException e) {
            throw new IOException("cannot tell whether the container still runs: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletionStage<Void> completion() {
        return completion;
    }

    @Override
    public void close() {
        closed = true;
        closeWatch();
    }

    private void closeWatch() {
        WatchService current = watch;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // Nothing to release any more.
            }
        }
    }
}

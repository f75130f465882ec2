package dev.petlet.core.stream;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that do the blocking parts of a session: calling the runtime, writing to a process's standard
 * input or a pod socket, reading from a pod socket. Virtual threads, one per blocking job, each ending with its
 * session; the event loop never blocks.
 */
final class StreamThreads {
    private static final Logger LOG = LoggerFactory.getLogger(StreamThreads.class);

    private static final ThreadFactory FACTORY = Thread.ofVirtual()
            .name("petlet-stream-", 0)
            .uncaughtExceptionHandler((thread, failure) -> LOG.warn("{} failed", thread.getName(), failure))
            .factory();

    private static final AtomicInteger RUNNING = new AtomicInteger();

    private StreamThreads() {}

    /** Starts a job on a new thread. */
    static void start(Runnable job) {
        RUNNING.incrementAndGet();
        FACTORY.newThread(() -> {
                    try {
                        job.run();
                    } finally {
                        RUNNING.decrementAndGet();
                    }
                })
                .start();
    }

    /** How many jobs are running now, for leak checks. */
    static int running() {
        return RUNNING.get();
    }

    /**
     * Runs a task on a channel's event loop: at once if already there, else queued. A loop that has shut down
     * takes no more tasks; its channels are closed, so there is nothing left to do.
     */
    static void onEventLoop(EventExecutor executor, Runnable task) {
        if (executor.inEventLoop()) {
            task.run();
            return;
        }
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("event loop gone, dropping a task for a closed connection");
        }
    }
}

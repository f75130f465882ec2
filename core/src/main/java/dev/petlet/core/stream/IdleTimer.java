package dev.petlet.core.stream;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a session that saw no traffic for a while. Any frame in either direction counts, PINGs included, as
 * with spdystream's idle-aware framer. One scheduled check at a time, on the event loop,
 * on the event loop's clock.
 */
final class IdleTimer {
    private final EventExecutor executor;
    private final Ticker ticker;
    private final long timeoutNanos;
    private final Runnable onIdle;
    private volatile long lastActivity;
    private ScheduledFuture<?> check;
    private boolean cancelled;

    /**
     * @param timeout zero or negative disables the timer
     * @param onIdle runs on the event loop when the timeout passed without activity
     */
    IdleTimer(EventExecutor executor, Duration timeout, Runnable onIdle) {
        this.executor = executor;
        this.ticker = executor.ticker();
        this.timeoutNanos = timeout.isNegative() || timeout.isZero() ? 0 : timeout.toNanos();
        this.onIdle = onIdle;
        this.lastActivity = ticker.nanoTime();
    }

    /** Schedules the first check. Event loop. */
    void start() {
        if (timeoutNanos > 0) {
            schedule(timeoutNanos);
        }
    }

    /** Records traffic. Any thread. */
    void touch() {
        lastActivity = ticker.nanoTime();
    }

    /** Stops checking. Event loop. */
    void cancel() {
        cancelled = true;
        if (check != null) {
            check.cancel(false);
        }
    }

    private void schedule(long delayNanos) {
        check = executor.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (cancelled) {
            return;
        }
        long idle = ticker.nanoTime() - lastActivity;
        if (idle >= timeoutNanos) {
            onIdle.run();
        } else {
            schedule(timeoutNanos - idle);
        }
    }
}

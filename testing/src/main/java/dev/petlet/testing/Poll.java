package dev.petlet.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits for a condition by polling with a deadline: the only way tests here wait. */
public final class Poll {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private Poll() {}

    /** Polls until the supplier returns a value, or fails with the description after the timeout. */
    public static <T> T until(Duration timeout, String description, Supplier<Optional<T>> condition) {
        return until(timeout, INTERVAL, description, condition);
    }

    /**
     * Polls every {@code interval} until the supplier returns a value, or fails with the description after the
     * timeout: for waits of minutes, where polling ten times a second would only load the machine.
     */
    public static <T> T until(
            Duration timeout, Duration interval, String description, Supplier<Optional<T>> condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<T> value = condition.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + description);
            }
            pause(interval);
        }
    }

    /** Polls until the condition holds, or fails with the description after the timeout. */
    public static void untilTrue(Duration timeout, String description, Supplier<Boolean> condition) {
        until(timeout, description, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    private static void pause(Duration interval) {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
    }
}

package dev.petlet.provider.podman;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits in tests by polling with a deadline: the only way tests here wait. */
final class Polling {
    private static final Duration INTERVAL = Duration.ofMillis(50);

    private Polling() {}

    /** Polls until the condition holds, or fails naming what it waited for. */
    static void until(Duration timeout, String description, BooleanSupplier condition) {
        value(timeout, description, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Polls until the supplier has a value, or fails naming what it waited for. */
    static <T> T value(Duration timeout, String description, Supplier<Optional<T>> supplier) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<T> value = supplier.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + description);
            }
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + description, e);
            }
        }
    }
}

package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** Waits between retries that double from an initial delay up to a cap, and start over after a success. */
final class Backoff {
    /** The kubelet's lease retry: 200 ms doubling to 7 s. */
    static final Duration INITIAL = Duration.ofMillis(200);

    static final Duration MAX = Duration.ofSeconds(7);

    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = requireNonNull(initial, "initial");
        this.max = requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "backoff needs 0 < initial <= max, got initial " + initial + " and max " + max);
        }
        this.next = initial;
    }

    static Backoff forApiRequests() {
        return new Backoff(INITIAL, MAX);
    }

    /** The wait before the next retry; each call doubles the one after, up to the cap. */
    Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    void reset() {
        next = initial;
    }
}

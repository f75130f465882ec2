package dev.petlet.core.cert;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When to renew a certificate: as the kubelet does, at a random point between 70 % and 90 % of its lifetime
 * (counted from notBefore), so a fleet of nodes does not renew at once. A smaller fraction can be configured for
 * tests, which otherwise wait for most of the shortest lifetime the signer grants (10 minutes).
 */
public final class RenewalSchedule {
    public static final double DEFAULT_EARLIEST = 0.7;
    public static final double DEFAULT_LATEST = 0.9;
    /** Never sooner than this after the certificate was obtained, so a skewed clock cannot spin renewals. */
    static final Duration MINIMUM_DELAY = Duration.ofSeconds(10);

    private final double earliest;
    private final double latest;
    private final DoubleSupplier random;

    public RenewalSchedule(double earliest, double latest, DoubleSupplier random) {
        if (!(earliest > 0 && earliest <= latest && latest < 1)) {
            throw new IllegalArgumentException(
                    "the renewal window must satisfy 0 < earliest <= latest < 1, got " + earliest + " to " + latest);
        }
        this.earliest = earliest;
        this.latest = latest;
        this.random = requireNonNull(random, "random");
    }

    /** The kubelet's window, 70–90 %. */
    public static RenewalSchedule kubelet() {
        return new RenewalSchedule(DEFAULT_EARLIEST, DEFAULT_LATEST, Math::random);
    }

    /** A fixed fraction of the lifetime, for tests (no jitter). */
    public static RenewalSchedule atFraction(double fraction) {
        return new RenewalSchedule(fraction, fraction, () -> 0);
    }

    /** When to renew this certificate, seen at {@code now}; at least {@link #MINIMUM_DELAY} from now. */
    public Instant renewalTime(Instant notBefore, Instant notAfter, Instant now) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        double fraction = earliest + (latest - earliest) * random.getAsDouble();
        Instant at = notBefore.plusMillis((long) (lifetime.toMillis() * fraction));
        Instant soonest = now.plus(MINIMUM_DELAY);
        return at.isBefore(soonest) ? soonest : at;
    }
}

package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How often the node tells the control plane it is alive. The defaults are the kubelet's; the node lifecycle
 * controller marks a node Unknown when neither the Lease nor the status moved for 50 seconds (40 before 1.32).
 *
 * @param statusUpdateFrequency how often the node status is recomputed and compared with the last report
 * @param statusReportFrequency how long an unchanged status may go without being reported again
 * @param leaseDuration the Lease's {@code leaseDurationSeconds}
 * @param leaseRenewInterval how often the Lease's {@code renewTime} is moved forward
 */
public record Heartbeats(
        Duration statusUpdateFrequency,
        Duration statusReportFrequency,
        Duration leaseDuration,
        Duration leaseRenewInterval) {

    /** The kubelet's: status every 10 s, reported at least every 5 min, a 40 s lease renewed every 10 s. */
    public static final Heartbeats DEFAULT = new Heartbeats(
            Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(40), Duration.ofSeconds(10));

    public Heartbeats {
        requirePositive(statusUpdateFrequency, "statusUpdateFrequency");
        requirePositive(statusReportFrequency, "statusReportFrequency");
        requirePositive(leaseDuration, "leaseDuration");
        requirePositive(leaseRenewInterval, "leaseRenewInterval");
        if (statusReportFrequency.compareTo(statusUpdateFrequency) < 0) {
            throw new IllegalArgumentException("statusReportFrequency (" + statusReportFrequency
                    + ") must not be shorter than statusUpdateFrequency (" + statusUpdateFrequency + ")");
        }
        if (leaseDuration.toSeconds() < 1) {
            throw new IllegalArgumentException("leaseDuration must be at least one second, got " + leaseDuration);
        }
    }

    private static void requirePositive(Duration duration, String name) {
        requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}

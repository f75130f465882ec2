package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * Resource usage of one running container at one moment.
 *
 * @param containerId the container's id
 * @param sandboxId nullable: its sandbox's id
 * @param timestamp when the numbers were taken
 * @param cpuUsageNanos CPU time used since it started, in nanoseconds (cumulative)
 * @param memoryWorkingSetBytes memory in use that the kernel cannot easily reclaim (usage minus inactive file
 *     cache), the number Kubernetes evicts and OOM-kills on
 * @param labels its labels, so usage can be attributed without another call
 * @param createdAt nullable: when the container was created, as {@link ContainerSummary#createdAt} (the usage's
 *     start time) so the core need not list containers for it; added after SPI 1's baseline, where it is null
 */
public record ContainerStats(
        String containerId,
        String sandboxId,
        Instant timestamp,
        long cpuUsageNanos,
        long memoryWorkingSetBytes,
        Map<String, String> labels,
        Instant createdAt) {
    public ContainerStats {
        requireNonNull(containerId, "containerId");
        requireNonNull(timestamp, "timestamp");
        labels = Map.copyOf(labels);
    }

    /** Without the creation time, as providers built against SPI 1's baseline report usage. */
    public ContainerStats(
            String containerId,
            String sandboxId,
            Instant timestamp,
            long cpuUsageNanos,
            long memoryWorkingSetBytes,
            Map<String, String> labels) {
        this(containerId, sandboxId, timestamp, cpuUsageNanos, memoryWorkingSetBytes, labels, null);
    }
}

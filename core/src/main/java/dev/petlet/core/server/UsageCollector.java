package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerStats;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.RuntimeLabels;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Samples the node and the runtime's containers into a {@link UsageSummary}. CPU rates ({@code usageNanoCores})
 * come from the previous sample of the same container or of the node, as the kubelet's CRI stats provider keeps
 * them; the first sample has none. Thread-safe: samples are taken one at a time.
 */
final class UsageCollector {
    private final String nodeName;
    private final ContainerRuntime runtime;
    private final Map<String, String> ownLabels;
    private final Supplier<? extends Collection<Pod>> desiredPods;
    private final NodeUsageReader node;
    private final Clock clock;
    private final Map<String, CpuPoint> previous = new HashMap<>();
    private CpuPoint previousNode;

    /** Rates over shorter spans than this are noise ({@code /proc/stat} counts in 10 ms ticks): keep the older point. */
    private static final Duration MIN_RATE_SPAN = Duration.ofSeconds(1);

    record CpuPoint(Instant time, long nanos) {}

    UsageCollector(
            String nodeName,
            ContainerRuntime runtime,
            Map<String, String> ownLabels,
            Supplier<? extends Collection<Pod>> desiredPods,
            NodeUsageReader node,
            Clock clock) {
        this.nodeName = requireNonNull(nodeName, "nodeName");
        this.runtime = requireNonNull(runtime, "runtime");
        this.ownLabels = Map.copyOf(ownLabels);
        this.desiredPods = requireNonNull(desiredPods, "desiredPods");
        this.node = requireNonNull(node, "node");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Takes a sample.
     *
     * @param withFileSystem whether to read the node's file system too (not for {@code only_cpu_and_memory})
     * @throws ProviderException if the runtime cannot report its containers' usage
     * @throws IOException if {@code /proc} cannot be read
     */
    synchronized UsageSummary sample(boolean withFileSystem) throws ProviderException, IOException {
        ContainerFilter filter = ContainerFilter.withLabels(ownLabels);
        List<ContainerStats> stats = runtime.stats(filter);
        Map<String, Instant> created = new HashMap<>();
        if (stats.stream().anyMatch(stat -> stat.createdAt() == null)) {
            // A provider that does not say when its containers were created: ask the listing (costly in Podman).
            for (ContainerSummary container : runtime.listContainers(filter)) {
                created.put(container.id(), container.createdAt());
            }
        }
        NodeUsageReader.Reading reading = node.read();
        Instant now = clock.instant();

        Map<String, List<UsageSummary.Container>> byPod = new LinkedHashMap<>();
        Map<String, Map<String, String>> podLabels = new HashMap<>();
        Map<String, CpuPoint> seen = new HashMap<>();
        for (ContainerStats stat : stats.stream()
                .sorted(Comparator.comparing(ContainerStats::containerId))
                .toList()) {
            Map<String, String> labels = stat.labels();
            String uid = labels.get(RuntimeLabels.POD_UID);
            String name = labels.get(RuntimeLabels.CONTAINER_NAME);
            if (uid == null || name == null || !labels.containsKey(RuntimeLabels.POD_NAME)) {
                continue; // not an app container of a pod (a sandbox's infra container)
            }
            CpuPoint point = new CpuPoint(stat.timestamp(), stat.cpuUsageNanos());
            CpuPoint before = previous.get(stat.containerId());
            seen.put(stat.containerId(), kept(before, point));
            Instant started = Optional.ofNullable(stat.createdAt())
                    .or(() -> Optional.ofNullable(created.get(stat.containerId())))
                    .orElse(stat.timestamp());
            byPod.computeIfAbsent(uid, key -> new ArrayList<>())
                    .add(new UsageSummary.Container(
                            name,
                            started,
                            new UsageSummary.Cpu(stat.timestamp(), stat.cpuUsageNanos(), rate(before, point)),
                            new UsageSummary.Memory(stat.timestamp(), stat.memoryWorkingSetBytes(), null, null)));
            podLabels.putIfAbsent(uid, labels);
        }
        previous.clear();
        previous.putAll(seen); // containers that are gone are forgotten

        Map<String, Pod> desired = new HashMap<>();
        for (Pod pod : desiredPods.get()) {
            desired.put(pod.getMetadata().getUid(), pod);
        }
        List<UsageSummary.Pod> pods = new ArrayList<>();
        byPod.forEach((uid, podContainers) -> {
            Map<String, String> labels = podLabels.get(uid);
            List<UsageSummary.Container> sorted = podContainers.stream()
                    .sorted(Comparator.comparing(UsageSummary.Container::name))
                    .toList();
            Instant started = podStartTime(desired.get(uid))
                    .orElseGet(() -> sorted.stream()
                            .map(UsageSummary.Container::startTime)
                            .min(Instant::compareTo)
                            .orElseThrow());
            pods.add(new UsageSummary.Pod(
                    labels.getOrDefault(RuntimeLabels.POD_NAMESPACE, ""),
                    labels.get(RuntimeLabels.POD_NAME),
                    uid,
                    started,
                    sorted));
        });
        pods.sort(Comparator.comparing(UsageSummary.Pod::namespace).thenComparing(UsageSummary.Pod::name));

        CpuPoint nodePoint = new CpuPoint(now, reading.cpuNanos());
        Long nodeRate = rate(previousNode, nodePoint);
        previousNode = kept(previousNode, nodePoint);
        UsageSummary.Node nodeUsage = new UsageSummary.Node(
                nodeName,
                reading.bootTime(),
                new UsageSummary.Cpu(now, reading.cpuNanos(), nodeRate),
                new UsageSummary.Memory(
                        now,
                        reading.memTotal() - reading.memAvailable(),
                        reading.memAvailable(),
                        reading.memTotal() - reading.memFree()),
                withFileSystem ? node.fileSystem(now) : null);
        return new UsageSummary(nodeUsage, pods);
    }

    /** Nanocores between two samples, or null without an earlier sample or with a counter that went back. */
    static Long rate(CpuPoint before, CpuPoint after) {
        if (before == null) {
            return null;
        }
        long elapsed = Duration.between(before.time(), after.time()).toNanos();
        long used = after.nanos() - before.nanos();
        if (elapsed <= 0 || used < 0) {
            return null;
        }
        return Math.round(used * 1e9 / elapsed);
    }

    /** The point to compute the next rate from. */
    private static CpuPoint kept(CpuPoint before, CpuPoint now) {
        return before != null && Duration.between(before.time(), now.time()).compareTo(MIN_RATE_SPAN) < 0
                ? before
                : now;
    }

    private static Optional<Instant> podStartTime(Pod pod) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getStartTime() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(pod.getStatus().getStartTime()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

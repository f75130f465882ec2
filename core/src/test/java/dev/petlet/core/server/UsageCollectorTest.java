package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStats;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.RuntimeLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageCollectorTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path proc;

    final FakeRuntime runtime = new FakeRuntime();
    final Pod web = new PodBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("web")
            .withUid("uid-web")
            .endMetadata()
            .withNewStatus()
            .withStartTime("2025-12-31T23:00:00Z")
            .endStatus()
            .build();
    ContainerSummary app;

    @BeforeEach
    void setUp() throws Exception {
        runtime.addSandbox("sandbox-1", "uid-web", "shop", "web", "10.88.0.7");
        app = runtime.addContainer("app-1", "sandbox-1", "uid-web", "app", 1, ContainerState.RUNNING);
        writeStat(1000);
        Files.write(proc.resolve("meminfo"), List.of("MemTotal: 1000 kB", "MemFree: 100 kB", "MemAvailable: 400 kB"));
    }

    private void writeStat(long busyTicks) throws Exception {
        Files.write(proc.resolve("stat"), List.of("cpu  " + busyTicks + " 0 0 5000 0 0 0 0 0 0", "btime 1767200000"));
    }

    private UsageCollector collector(Clock clock) {
        return new UsageCollector(
                "node-1",
                runtime,
                Map.of("io.petlet.agent", "me"),
                () -> List.of(web),
                new NodeUsageReader(proc, proc),
                clock);
    }

    private ContainerStats stats(String id, Instant at, long cpuNanos, long workingSet, Map<String, String> labels) {
        return new ContainerStats(id, "sandbox-1", at, cpuNanos, workingSet, labels);
    }

    @Test
    void containersStartWhenTheProviderSaysTheyWereCreatedWithoutAListing() throws Exception {
        Instant created = T0.minusSeconds(30);
        runtime.stats = List.of(new ContainerStats("app-1", "sandbox-1", T0, 1L, 1L, app.labels(), created));

        UsageSummary sample = collector(new MovableClock(T0)).sample(false);

        assertThat(sample.pods().getFirst().containers().getFirst().startTime()).isEqualTo(created);
        assertThat(runtime.containerListings).hasValue(0);
    }

    @Test
    void ratesComeFromThePreviousSampleOfTheSameContainer() throws Exception {
        Map<String, String> infra = Map.of(RuntimeLabels.POD_UID, "uid-web", "io.petlet.agent", "me");
        runtime.stats =
                List.of(stats("app-1", T0, 1_000_000_000L, 5_000L, app.labels()), stats("infra", T0, 7L, 7L, infra));
        MovableClock clock = new MovableClock(T0);
        UsageCollector collector = collector(clock);

        UsageSummary first = collector.sample(true);
        assertThat(first.pods()).hasSize(1).as("the infra container is not a pod's container");
        UsageSummary.Pod pod = first.pods().getFirst();
        assertThat(pod.namespace()).isEqualTo("shop");
        assertThat(pod.name()).isEqualTo("web");
        assertThat(pod.startTime()).isEqualTo(Instant.parse("2025-12-31T23:00:00Z"));
        UsageSummary.Container container = pod.containers().getFirst();
        assertThat(container.name()).isEqualTo("app");
        assertThat(container.startTime()).isEqualTo(app.createdAt());
        assertThat(container.cpu().usageCoreNanoSeconds()).isEqualTo(1_000_000_000L);
        assertThat(container.cpu().usageNanoCores()).isNull();
        assertThat(container.memory().workingSetBytes()).isEqualTo(5_000L);
        assertThat(first.node().cpu().usageCoreNanoSeconds()).isEqualTo(10_000_000_000L);
        assertThat(first.node().cpu().usageNanoCores()).isNull();
        assertThat(first.node().memory().workingSetBytes()).isEqualTo(600 * 1024L);
        assertThat(first.node().memory().usageBytes()).isEqualTo(900 * 1024L);
        assertThat(first.node().fs()).isNotNull();

        // Ten seconds later: the container used 5 s of CPU (half a core), the node 20 s (two cores).
        Instant t1 = T0.plusSeconds(10);
        runtime.stats = List.of(stats("app-1", t1, 6_000_000_000L, 6_000L, app.labels()));
        writeStat(3000);
        clock.now = t1;
        UsageSummary later = collector.sample(false);
        assertThat(later.pods().getFirst().containers().getFirst().cpu().usageNanoCores())
                .isEqualTo(500_000_000L);
        assertThat(later.node().cpu().usageNanoCores()).isEqualTo(2_000_000_000L);
        assertThat(later.node().fs()).isNull();
    }

    private static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

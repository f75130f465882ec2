package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceMetricsTextTest {
    static final Instant NOW = Instant.ofEpochMilli(1711539186829L);
    static final Instant STARTED = Instant.ofEpochSecond(1711538702L);

    static UsageSummary summary() {
        UsageSummary.Node node = new UsageSummary.Node(
                "node-1",
                Instant.ofEpochSecond(1711500000L),
                new UsageSummary.Cpu(NOW, 23_361_000_000L, 500_000_000L),
                new UsageSummary.Memory(NOW, 1_208_786_944L, 2_000_000_000L, 1_500_000_000L),
                new UsageSummary.FileSystem(NOW, 100_000L, 60_000L, 40_000L));
        UsageSummary.Pod idle = new UsageSummary.Pod(
                "demo", "idle", "uid-idle", STARTED, List.of(container("sleep", 12_000_000L, null, 131_072L)));
        UsageSummary.Pod busy = new UsageSummary.Pod(
                "demo",
                "busy",
                "uid-busy",
                STARTED,
                List.of(
                        container("side", 1_000_000_000L, 1_000L, 4_096L),
                        container("burn", 9_390_396_000L, 990_000_000L, 262_144L)));
        return new UsageSummary(node, List.of(busy, idle));
    }

    private static UsageSummary.Container container(String name, long cpuNanos, Long nanoCores, long workingSet) {
        return new UsageSummary.Container(
                name,
                STARTED,
                new UsageSummary.Cpu(NOW, cpuNanos, nanoCores),
                new UsageSummary.Memory(NOW, workingSet, null, null));
    }

    @Test
    void writesTheKubeletsResourceMetrics() {
        assertThat(ResourceMetricsText.of(summary())).isEqualTo("""
                # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
                # TYPE container_cpu_usage_seconds_total counter
                container_cpu_usage_seconds_total{container="burn",namespace="demo",pod="busy"} 9.390396 1711539186829
                container_cpu_usage_seconds_total{container="side",namespace="demo",pod="busy"} 1 1711539186829
                container_cpu_usage_seconds_total{container="sleep",namespace="demo",pod="idle"} 0.012 1711539186829
                # HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes
                # TYPE container_memory_working_set_bytes gauge
                container_memory_working_set_bytes{container="burn",namespace="demo",pod="busy"} 262144 1711539186829
                container_memory_working_set_bytes{container="side",namespace="demo",pod="busy"} 4096 1711539186829
                container_memory_working_set_bytes{container="sleep",namespace="demo",pod="idle"} 131072 1711539186829
                # HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds
                # TYPE container_start_time_seconds gauge
                container_start_time_seconds{container="burn",namespace="demo",pod="busy"} 1.711538702e+09
                container_start_time_seconds{container="side",namespace="demo",pod="busy"} 1.711538702e+09
                container_start_time_seconds{container="sleep",namespace="demo",pod="idle"} 1.711538702e+09
                # HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
                # TYPE node_cpu_usage_seconds_total counter
                node_cpu_usage_seconds_total 23.361 1711539186829
                # HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes
                # TYPE node_memory_working_set_bytes gauge
                node_memory_working_set_bytes 1.208786944e+09 1711539186829
                # HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds
                # TYPE pod_cpu_usage_seconds_total counter
                pod_cpu_usage_seconds_total{namespace="demo",pod="busy"} 10.390396 1711539186829
                pod_cpu_usage_seconds_total{namespace="demo",pod="idle"} 0.012 1711539186829
                # HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes
                # TYPE pod_memory_working_set_bytes gauge
                pod_memory_working_set_bytes{namespace="demo",pod="busy"} 266240 1711539186829
                pod_memory_working_set_bytes{namespace="demo",pod="idle"} 131072 1711539186829
                # HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
                # TYPE resource_scrape_error gauge
                resource_scrape_error 0
                """);
    }

    @Test
    void aFailedSampleIsOnlyAScrapeError() {
        assertThat(ResourceMetricsText.of(null)).isEqualTo("""
                # HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
                # TYPE resource_scrape_error gauge
                resource_scrape_error 1
                """);
    }

    @Test
    void withoutPodsTheContainerAndPodFamiliesAreLeftOut() {
        UsageSummary empty = new UsageSummary(summary().node(), List.of());
        assertThat(ResourceMetricsText.of(empty))
                .doesNotContain("container_", "pod_")
                .contains("node_cpu_usage_seconds_total 23.361 1711539186829\n");
    }

    @Test
    void formatsNumbersAsGosShortestG() {
        assertThat(ResourceMetricsText.goFloat(0)).isEqualTo("0");
        assertThat(ResourceMetricsText.goFloat(1)).isEqualTo("1");
        assertThat(ResourceMetricsText.goFloat(123456)).isEqualTo("123456");
        assertThat(ResourceMetricsText.goFloat(1234567)).isEqualTo("1.234567e+06");
        assertThat(ResourceMetricsText.goFloat(1e21)).isEqualTo("1e+21");
        assertThat(ResourceMetricsText.goFloat(0.0001)).isEqualTo("0.0001");
        assertThat(ResourceMetricsText.goFloat(0.00001)).isEqualTo("1e-05");
        assertThat(ResourceMetricsText.goFloat(-2.5)).isEqualTo("-2.5");
        assertThat(ResourceMetricsText.goFloat(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    }

    @Test
    void escapesLabelValues() {
        assertThat(ResourceMetricsText.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }
}

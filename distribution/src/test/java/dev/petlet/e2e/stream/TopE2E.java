package dev.petlet.e2e.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl top} against the sandbox: metrics-server scrapes the petlet node's {@code /metrics/resource} and
 * serves {@code metrics.k8s.io} through the API server's aggregator. Also the two routes called directly with a
 * client certificate, as metrics-server and monitoring tools call them, and refused to a user without the
 * {@code nodes/metrics} and {@code nodes/stats} permissions.
 */
@SandboxE2E
class TopE2E {
    /** metrics-server needs two scrapes (10 s apart) of a pod before it reports it; the first one waits longer. */
    private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(150);

    private static final Pattern MILLICORES = Pattern.compile("(\\d+)m");

    private static StreamNamespace namespace;
    private static KubeletEndpoint kubelet;
    private static TestCluster cluster;
    private static String suffix;

    @BeforeAll
    static void createPods(TestCluster testCluster) throws IOException {
        cluster = testCluster;
        namespace = StreamNamespace.create(cluster, "e2e-top");
        namespace.apply(BusyboxPod.pod("busy", "Always", "while :; do :; done").build());
        namespace.apply(BusyboxPod.pod("idle", "Always", "exec sleep 3600").build());
        namespace.awaitReady("busy");
        namespace.awaitReady("idle");
        kubelet = KubeletEndpoint.of(cluster);
        suffix = namespace.name().substring(namespace.name().lastIndexOf('-') + 1);
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void topNodeShowsTheNodesCpuAndMemory() {
        String nodeName = cluster.sandbox().nodeName().orElseThrow();
        String line = Poll.until(METRICS_TIMEOUT, "kubectl top node to list " + nodeName, () -> {
            CommandResult top = cluster.kubectl().run("top", "node", "--no-headers");
            return top.exitCode() == 0
                    ? top.stdout()
                            .lines()
                            .filter(l -> l.startsWith(nodeName + " "))
                            .findFirst()
                    : Optional.empty();
        });
        // NAME CPU(cores) CPU% MEMORY(bytes) MEMORY%
        String[] columns = line.trim().split("\\s+");
        assertThat(columns).as(line).hasSize(5);
        assertThat(millicores(columns[1])).as(line).isPositive();
        assertThat(columns[3]).as(line).matches("[1-9]\\d*Mi");
    }

    @Test
    void topPodShowsTheBusyPodWithMoreCpu() {
        Map<String, Long> cpu =
                Poll.until(METRICS_TIMEOUT, "kubectl top pod to list both pods, busy one burning", () -> {
                    CommandResult top = namespace.kubectl("top", "pod", "--no-headers");
                    if (top.exitCode() != 0) {
                        return Optional.empty();
                    }
                    Map<String, Long> byPod = new HashMap<>();
                    top.stdout().lines().map(l -> l.trim().split("\\s+")).forEach(columns -> {
                        if (columns.length == 3) {
                            byPod.put(columns[0], millicores(columns[1]));
                        }
                    });
                    // The first scrape after the busy pod started may cover only part of a window: wait for a clear
                    // value.
                    return byPod.containsKey("idle") && byPod.getOrDefault("busy", 0L) >= 100
                            ? Optional.of(byPod)
                            : Optional.empty();
                });
        assertThat(cpu.get("busy")).isGreaterThan(cpu.get("idle") + 50);

        CommandResult containers = namespace.kubectl("top", "pod", "busy", "--containers", "--no-headers");
        assertThat(containers.exitCode()).as(containers.toString()).isZero();
        assertThat(containers.stdout()).contains("busy").contains(BusyboxPod.CONTAINER);
    }

    @Test
    void resourceMetricsServesThePodsContainers() throws Exception {
        CertificateFiles admin =
                kubelet.certificate("e2e-top-admin-" + suffix, "e2e-admin-" + suffix, "system:masters");
        try (HttpClient client = kubelet.https(Optional.of(admin))) {
            HttpResponse<String> response = KubeletEndpoint.send(
                    client, kubelet.request("/metrics/resource").build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            String body = response.body();
            assertThat(body)
                    .contains("# TYPE node_cpu_usage_seconds_total counter\n")
                    .contains("# TYPE container_memory_working_set_bytes gauge\n")
                    .contains("resource_scrape_error 0\n");
            String labels = "{container=\"app\",namespace=\"" + namespace.name() + "\",pod=\"busy\"}";
            assertThat(value(body, "container_cpu_usage_seconds_total" + labels))
                    .isPositive();
            assertThat(value(body, "container_memory_working_set_bytes" + labels))
                    .isPositive();
            assertThat(value(body, "container_start_time_seconds" + labels)).isGreaterThan(1.7e9);
            assertThat(value(body, "pod_cpu_usage_seconds_total{namespace=\"" + namespace.name() + "\",pod=\"idle\"}"))
                    .isNotNegative();
            assertThat(value(body, "node_memory_working_set_bytes")).isPositive();
        }
    }

    @Test
    void statsSummaryServesTheNodeAndPods() throws Exception {
        CertificateFiles admin =
                kubelet.certificate("e2e-top-admin2-" + suffix, "e2e-admin-" + suffix, "system:masters");
        try (HttpClient client = kubelet.https(Optional.of(admin))) {
            HttpResponse<String> response = KubeletEndpoint.send(
                    client, kubelet.request("/stats/summary").build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode summary = new ObjectMapper().readTree(response.body());
            JsonNode node = summary.path("node");
            assertThat(node.path("nodeName").asText())
                    .isEqualTo(cluster.sandbox().nodeName().orElseThrow());
            assertThat(node.path("cpu").path("usageCoreNanoSeconds").asLong()).isPositive();
            assertThat(node.path("memory").path("workingSetBytes").asLong()).isPositive();
            assertThat(node.path("fs").path("capacityBytes").asLong()).isPositive();
            JsonNode busy = null;
            for (JsonNode pod : summary.path("pods")) {
                if (pod.path("podRef").path("namespace").asText().equals(namespace.name())
                        && pod.path("podRef").path("name").asText().equals("busy")) {
                    busy = pod;
                }
            }
            assertThat(busy).as(response.body()).isNotNull();
            JsonNode container = busy.path("containers").path(0);
            assertThat(container.path("name").asText()).isEqualTo(BusyboxPod.CONTAINER);
            assertThat(container.path("cpu").path("usageCoreNanoSeconds").asLong())
                    .isPositive();
            assertThat(container.path("memory").path("workingSetBytes").asLong())
                    .isPositive();

            // A second sample a moment later has a rate: the busy loop takes what it can get of a core on a loaded
            // machine.
            Poll.untilTrue(Duration.ofSeconds(30), "usageNanoCores of the busy container", () -> {
                try {
                    JsonNode again = new ObjectMapper()
                            .readTree(KubeletEndpoint.send(
                                            client,
                                            kubelet.request("/stats/summary?only_cpu_and_memory=true")
                                                    .build())
                                    .body());
                    assertThat(again.path("node").has("fs")).isFalse();
                    for (JsonNode pod : again.path("pods")) {
                        if (pod.path("podRef").path("name").asText().equals("busy")
                                && pod.path("podRef").path("namespace").asText().equals(namespace.name())) {
                            return pod.path("cpu").path("usageNanoCores").asLong() > 50_000_000L;
                        }
                    }
                    return false;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void aUserWithoutNodesMetricsOrStatsIsForbidden() throws Exception {
        String nobody = "e2e-top-nobody-" + suffix;
        CertificateFiles certificate = kubelet.certificate("e2e-top-nobody-" + suffix, nobody, "e2e-nobodies");
        try (HttpClient client = kubelet.https(Optional.of(certificate))) {
            for (String[] pathAndSubresource :
                    List.of(new String[] {"/metrics/resource", "metrics"}, new String[] {"/stats/summary", "stats"})) {
                HttpResponse<String> response = KubeletEndpoint.send(
                        client, kubelet.request(pathAndSubresource[0]).build());
                assertThat(response.statusCode())
                        .as(Arrays.toString(pathAndSubresource))
                        .isEqualTo(403);
                assertThat(response.body())
                        .isEqualTo("Forbidden (user=" + nobody + ", verb=get, resource=nodes, subresource(s)=["
                                + pathAndSubresource[1] + "])\n");
            }
        }
    }

    private static long millicores(String cpu) {
        Matcher matcher = MILLICORES.matcher(cpu);
        if (matcher.matches()) {
            return Long.parseLong(matcher.group(1));
        }
        return Math.round(Double.parseDouble(cpu) * 1000); // whole cores, as "1"
    }

    /** The value of the series that starts a line with {@code series} (name and labels). */
    private static double value(String exposition, String series) {
        return exposition
                .lines()
                .filter(line -> line.startsWith(series + " "))
                .map(line -> Double.parseDouble(line.split(" ")[1]))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series + " in:\n" + exposition));
    }
}

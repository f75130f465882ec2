package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatsSummaryJsonTest {
    @Test
    void writesTheSummaryApisFields() throws Exception {
        JsonNode json = new ObjectMapper().readTree(StatsSummaryJson.of(ResourceMetricsTextTest.summary()));

        JsonNode node = json.path("node");
        assertThat(node.path("nodeName").asText()).isEqualTo("node-1");
        assertThat(node.path("startTime").asText()).isEqualTo("2024-03-27T00:40:00Z");
        assertThat(node.path("cpu").path("time").asText()).isEqualTo("2024-03-27T11:33:06Z");
        assertThat(node.path("cpu").path("usageNanoCores").asLong()).isEqualTo(500_000_000L);
        assertThat(node.path("cpu").path("usageCoreNanoSeconds").asLong()).isEqualTo(23_361_000_000L);
        assertThat(node.path("memory").path("workingSetBytes").asLong()).isEqualTo(1_208_786_944L);
        assertThat(node.path("memory").path("availableBytes").asLong()).isEqualTo(2_000_000_000L);
        assertThat(node.path("memory").path("usageBytes").asLong()).isEqualTo(1_500_000_000L);
        assertThat(node.path("fs").path("capacityBytes").asLong()).isEqualTo(100_000L);
        assertThat(node.path("fs").path("availableBytes").asLong()).isEqualTo(60_000L);
        assertThat(node.path("fs").path("usedBytes").asLong()).isEqualTo(40_000L);

        JsonNode busy = json.path("pods").path(0);
        assertThat(busy.path("podRef").path("name").asText()).isEqualTo("busy");
        assertThat(busy.path("podRef").path("namespace").asText()).isEqualTo("demo");
        assertThat(busy.path("podRef").path("uid").asText()).isEqualTo("uid-busy");
        assertThat(busy.path("containers").path(1).path("name").asText()).isEqualTo("burn");
        assertThat(busy.path("containers")
                        .path(1)
                        .path("cpu")
                        .path("usageNanoCores")
                        .asLong())
                .isEqualTo(990_000_000L);
        assertThat(busy.path("containers")
                        .path(1)
                        .path("memory")
                        .path("workingSetBytes")
                        .asLong())
                .isEqualTo(262_144L);
        assertThat(busy.path("cpu").path("usageNanoCores").asLong()).isEqualTo(990_001_000L);
        assertThat(busy.path("cpu").path("usageCoreNanoSeconds").asLong()).isEqualTo(10_390_396_000L);
        assertThat(busy.path("memory").path("workingSetBytes").asLong()).isEqualTo(266_240L);

        JsonNode idle = json.path("pods").path(1);
        assertThat(idle.path("containers").path(0).path("cpu").has("usageNanoCores"))
                .as("a rate needs two samples")
                .isFalse();
        assertThat(idle.path("cpu").has("usageNanoCores")).isFalse();
        assertThat(idle.path("memory").has("usageBytes")).isFalse();
    }

    @Test
    void leavesOutTheFileSystemWhenNotSampled() throws Exception {
        UsageSummary full = ResourceMetricsTextTest.summary();
        UsageSummary.Node node = full.node();
        UsageSummary cpuAndMemory = new UsageSummary(
                new UsageSummary.Node(node.nodeName(), node.startTime(), node.cpu(), node.memory(), null), full.pods());
        JsonNode json = new ObjectMapper().readTree(StatsSummaryJson.of(cpuAndMemory));
        assertThat(json.path("node").has("fs")).isFalse();
        assertThat(json.path("pods")).hasSize(2);
    }
}

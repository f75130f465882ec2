package dev.petlet.core.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The kubelet's Summary API body ({@code GET /stats/summary}, {@code stats/v1alpha1}): field names and layout as
 * the kubelet writes them, times as RFC 3339 seconds, unknown values left out.
 */
final class StatsSummaryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatsSummaryJson() {}

    static byte[] of(UsageSummary summary) {
        ObjectNode root = MAPPER.createObjectNode();
        UsageSummary.Node node = summary.node();
        ObjectNode nodeJson = root.putObject("node");
        nodeJson.put("nodeName", node.nodeName());
        nodeJson.put("startTime", time(node.startTime()));
        cpu(nodeJson.putObject("cpu"), node.cpu());
        memory(nodeJson.putObject("memory"), node.memory());
        if (node.fs() != null) {
            ObjectNode fs = nodeJson.putObject("fs");
            fs.put("time", time(node.fs().time()));
            fs.put("availableBytes", node.fs().availableBytes());
            fs.put("capacityBytes", node.fs().capacityBytes());
            fs.put("usedBytes", node.fs().usedBytes());
        }
        ArrayNode pods = root.putArray("pods");
        for (UsageSummary.Pod pod : summary.pods()) {
            ObjectNode podJson = pods.addObject();
            ObjectNode ref = podJson.putObject("podRef");
            ref.put("name", pod.name());
            ref.put("namespace", pod.namespace());
            ref.put("uid", pod.uid());
            podJson.put("startTime", time(pod.startTime()));
            ArrayNode containers = podJson.putArray("containers");
            for (UsageSummary.Container container : pod.containers()) {
                ObjectNode containerJson = containers.addObject();
                containerJson.put("name", container.name());
                containerJson.put("startTime", time(container.startTime()));
                cpu(containerJson.putObject("cpu"), container.cpu());
                memory(containerJson.putObject("memory"), container.memory());
            }
            cpu(podJson.putObject("cpu"), pod.cpu());
            memory(podJson.putObject("memory"), pod.memory());
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(root)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the stats summary", e);
        }
    }

    private static void cpu(ObjectNode json, UsageSummary.Cpu cpu) {
        json.put("time", time(cpu.time()));
        if (cpu.usageNanoCores() != null) {
            json.put("usageNanoCores", cpu.usageNanoCores());
        }
        json.put("usageCoreNanoSeconds", cpu.usageCoreNanoSeconds());
    }

    private static void memory(ObjectNode json, UsageSummary.Memory memory) {
        json.put("time", time(memory.time()));
        if (memory.availableBytes() != null) {
            json.put("availableBytes", memory.availableBytes());
        }
        if (memory.usageBytes() != null) {
            json.put("usageBytes", memory.usageBytes());
        }
        json.put("workingSetBytes", memory.workingSetBytes());
    }

    /** A {@code metav1.Time}: RFC 3339 in UTC, whole seconds. */
    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}

package dev.petlet.provider.podman;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStats;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.ImageInfo;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeEvent;
import dev.petlet.spi.runtime.RuntimeLabels;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads libpod's JSON answers (inspect, list, stats, events) into SPI records. Pure functions. */
final class LibpodResponses {
    /** Go's zero time, which Podman reports for "never". */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");
    /** Event attributes Podman adds next to the container's labels. */
    private static final Set<String> EVENT_ATTRIBUTES = Set.of("containerExitCode", "image", "name", "podId");

    private static final Pattern INFRA_NAME = Pattern.compile("[0-9a-f]{12}-infra");

    private LibpodResponses() {}

    /** A container from {@code GET /libpod/containers/{id}/json}. */
    static ContainerStatus containerStatus(JsonNode inspect) {
        JsonNode state = inspect.path("State");
        Map<String, String> labels = strings(inspect.path("Config").path("Labels"));
        ContainerState lifecycle = containerState(state.path("Status").asText(""));
        Instant startedAt = time(state.path("StartedAt").asText(null));
        Instant finishedAt = time(state.path("FinishedAt").asText(null));
        String error = emptyToNull(state.path("Error").asText(""));
        int podmanExitCode = state.path("ExitCode").asInt(0);
        boolean oomKilled = state.path("OOMKilled").asBoolean(false);

        Integer exitCode = null;
        String reason = null;
        if (lifecycle == ContainerState.CREATED && error != null) {
            // A failed start leaves the container "created" with the runtime's error: it will not run as is.
            lifecycle = ContainerState.EXITED;
        }
        if (lifecycle == ContainerState.EXITED) {
            exitCode = podmanExitCode;
            if (oomKilled) {
                reason = ContainerStatus.REASON_OOM_KILLED;
            } else if (startedAt == null && error != null) {
                reason = ContainerStatus.REASON_START_ERROR;
                exitCode = podmanExitCode != 0 ? podmanExitCode : 128;
            } else {
                reason = podmanExitCode == 0 ? ContainerStatus.REASON_COMPLETED : ContainerStatus.REASON_ERROR;
            }
            // Podman takes the finish time from the exit file's mtime but the start time from its own clock
            // after starting: a process that exits at once can seem to finish before it started.
            if (finishedAt != null && startedAt != null && finishedAt.isBefore(startedAt)) {
                finishedAt = startedAt;
            }
        } else {
            finishedAt = null;
        }
        return new ContainerStatus(
                inspect.path("Id").asText(),
                emptyToNull(inspect.path("Pod").asText("")),
                containerName(labels, inspect.path("Name").asText("")),
                PodmanLabels.intLabel(labels, RuntimeLabels.CONTAINER_RESTART_COUNT, 0),
                lifecycle,
                requiredTime(inspect.path("Created").asText(null)),
                startedAt,
                finishedAt,
                exitCode,
                reason,
                error,
                inspect.path("ImageName").asText(""),
                inspect.path("Image").asText(""),
                PodmanLabels.visible(labels),
                PodmanLabels.annotations(labels),
                emptyToNull(inspect.path("HostConfig")
                        .path("LogConfig")
                        .path("Path")
                        .asText("")));
    }

    /** A container from an entry of {@code GET /libpod/containers/json}. */
    static ContainerSummary containerSummary(JsonNode entry) {
        Map<String, String> labels = strings(entry.path("Labels"));
        String podmanName = entry.path("Names").path(0).asText("");
        return new ContainerSummary(
                entry.path("Id").asText(),
                emptyToNull(entry.path("Pod").asText("")),
                containerName(labels, podmanName),
                PodmanLabels.intLabel(labels, RuntimeLabels.CONTAINER_RESTART_COUNT, 0),
                containerState(entry.path("State").asText("")),
                requiredTime(entry.path("Created").asText(null)),
                entry.path("Image").asText(""),
                entry.path("ImageID").asText(""),
                PodmanLabels.visible(labels),
                PodmanLabels.annotations(labels));
    }

    /**
     * A sandbox from {@code GET /libpod/pods/{id}/json} and, if the pod has one, the inspection of its
     * infra container (which holds the namespaces and the address).
     */
    static PodSandboxStatus sandboxStatus(JsonNode pod, JsonNode infra) {
        return sandboxStatus(
                pod.path("Id").asText(),
                pod.path("Name").asText(""),
                strings(pod.path("Labels")),
                pod.path("Created"),
                pod.path("InfraConfig").path("HostNetwork").asBoolean(false),
                infra);
    }

    /**
     * A sandbox from the inspection of its infra container alone, which carries the pod's id and labels (with
     * the pause image's), state and address; its creation time is the infra container's.
     */
    static PodSandboxStatus sandboxStatusOfInfra(JsonNode infra) {
        return sandboxStatus(
                infra.path("Pod").asText(),
                "",
                strings(infra.path("Config").path("Labels")),
                infra.path("Created"),
                "host".equals(infra.path("HostConfig").path("NetworkMode").asText("")),
                infra);
    }

    private static PodSandboxStatus sandboxStatus(
            String id,
            String podmanName,
            Map<String, String> labels,
            JsonNode created,
            boolean hostNetwork,
            JsonNode infra) {
        boolean ready = infra != null && infra.path("State").path("Running").asBoolean(false);
        List<String> addresses = ready && !hostNetwork ? addresses(infra.path("NetworkSettings")) : List.of();
        return new PodSandboxStatus(
                id,
                labels.getOrDefault(RuntimeLabels.POD_UID, ""),
                labels.getOrDefault(RuntimeLabels.POD_NAMESPACE, ""),
                labels.getOrDefault(RuntimeLabels.POD_NAME, podmanName),
                PodmanLabels.intLabel(labels, PodmanLabels.SANDBOX_ATTEMPT, 0),
                ready ? PodSandboxState.READY : PodSandboxState.NOTREADY,
                requiredTime(created.asText(null)),
                addresses,
                hostNetwork,
                PodmanLabels.visible(labels),
                PodmanLabels.annotations(labels));
    }

    /** A sandbox from an entry of {@code GET /libpod/pods/json}; ready when its infra container runs. */
    static PodSandboxSummary sandboxSummary(JsonNode entry) {
        String infraId = entry.path("InfraId").asText("");
        boolean ready = false;
        for (JsonNode container : entry.path("Containers")) {
            if (container.path("Id").asText("").equals(infraId)) {
                ready = "running".equalsIgnoreCase(container.path("Status").asText(""));
            }
        }
        return sandboxSummary(
                entry.path("Id").asText(), entry.path("Name").asText(""), strings(entry.path("Labels")), ready, entry);
    }

    /**
     * A sandbox from the entry of its infra container in {@code GET /libpod/containers/json}: ready when the
     * infra container runs; null for an entry that names no pod.
     */
    static PodSandboxSummary sandboxSummaryOfInfra(JsonNode entry) {
        String podId = entry.path("Pod").asText("");
        if (podId.isEmpty()) {
            return null;
        }
        return sandboxSummary(
                podId,
                entry.path("PodName").asText(""),
                strings(entry.path("Labels")),
                "running".equalsIgnoreCase(entry.path("State").asText("")),
                entry);
    }

    /** A listed sandbox; {@code entry}'s {@code Created} is its creation time. */
    private static PodSandboxSummary sandboxSummary(
            String id, String podmanName, Map<String, String> labels, boolean ready, JsonNode entry) {
        return new PodSandboxSummary(
                id,
                labels.getOrDefault(RuntimeLabels.POD_UID, ""),
                labels.getOrDefault(RuntimeLabels.POD_NAMESPACE, ""),
                labels.getOrDefault(RuntimeLabels.POD_NAME, podmanName),
                PodmanLabels.intLabel(labels, PodmanLabels.SANDBOX_ATTEMPT, 0),
                ready ? PodSandboxState.READY : PodSandboxState.NOTREADY,
                requiredTime(entry.path("Created").asText(null)),
                PodmanLabels.visible(labels),
                PodmanLabels.annotations(labels));
    }

    /** An image from {@code GET /libpod/images/{name}/json} or an entry of {@code GET /libpod/images/json}. */
    static ImageInfo image(JsonNode image) {
        return new ImageInfo(
                image.path("Id").asText(),
                texts(image.path("RepoTags")),
                texts(image.path("RepoDigests")),
                image.path("Size").asLong(0),
                image.path("Config").path("User").asText(image.path("User").asText("")));
    }

    /** One entry of {@code GET /libpod/containers/stats?stream=false}'s {@code Stats} array. */
    static ContainerStats stats(JsonNode entry, ContainerSummary container, OptionalLong inactiveFile, Instant now) {
        return new ContainerStats(
                container.id(),
                container.sandboxId(),
                now,
                entry.path("CPUNano").asLong(0), // cumulative, like cpuacct.usage
                // Podman 4's MemUsage is the cgroup's whole usage, file cache included.
                CgroupMemory.workingSet(entry.path("MemUsage").asLong(0), inactiveFile),
                container.labels(),
                container.createdAt());
    }

    /** The SPI event for one object of {@code GET /libpod/events}, or empty for events the SPI ignores. */
    static Optional<RuntimeEvent> event(JsonNode event) {
        String type = event.path("Type").asText("");
        String action = event.path("Action").asText(event.path("status").asText(""));
        String id = event.path("Actor").path("ID").asText(event.path("id").asText(""));
        Map<String, String> attributes = strings(event.path("Actor").path("Attributes"));
        Instant time = event.has("timeNano")
                ? Instant.ofEpochSecond(0, event.path("timeNano").asLong())
                : Instant.ofEpochSecond(event.path("time").asLong(0));
        if (type.equals("pod")) {
            return switch (action) {
                case "stop" ->
                    Optional.of(new RuntimeEvent(RuntimeEvent.Type.SANDBOX_STOPPED, null, id, time, null, Map.of()));
                case "remove" ->
                    Optional.of(new RuntimeEvent(RuntimeEvent.Type.SANDBOX_REMOVED, null, id, time, null, Map.of()));
                default -> Optional.empty();
            };
        }
        if (!type.equals("container")) {
            return Optional.empty();
        }
        // Podman 4.3 leaves podId empty on "died" events; the runtime fills it in with enriched(...).
        String podId = emptyToNull(attributes.getOrDefault("podId", ""));
        Map<String, String> labels = new LinkedHashMap<>(attributes);
        labels.keySet().removeAll(EVENT_ATTRIBUTES);
        labels = PodmanLabels.visible(labels);
        if (isInfraContainer(attributes.getOrDefault("name", ""))) {
            return action.equals("died")
                    ? Optional.of(new RuntimeEvent(RuntimeEvent.Type.SANDBOX_STOPPED, id, podId, time, null, labels))
                    : Optional.empty();
        }
        RuntimeEvent.Type eventType = switch (action) {
            case "create" -> RuntimeEvent.Type.CONTAINER_CREATED;
            case "start" -> RuntimeEvent.Type.CONTAINER_STARTED;
            case "died" -> RuntimeEvent.Type.CONTAINER_DIED;
            case "oom" -> RuntimeEvent.Type.CONTAINER_OOM;
            case "remove" -> RuntimeEvent.Type.CONTAINER_REMOVED;
            default -> null;
        };
        if (eventType == null) {
            return Optional.empty();
        }
        Integer exitCode = eventType == RuntimeEvent.Type.CONTAINER_DIED
                ? Integer.valueOf(PodmanLabels.intLabel(attributes, "containerExitCode", 0))
                : null;
        return Optional.of(new RuntimeEvent(eventType, id, podId, time, exitCode, labels));
    }

    /** Whether an event needs {@link #enriched}: it lacks its sandbox, or it may hide an OOM kill. */
    static boolean needsInspection(RuntimeEvent event) {
        return event.containerId() != null
                && (event.sandboxId() == null
                        || event.type() == RuntimeEvent.Type.CONTAINER_DIED
                                && Integer.valueOf(137).equals(event.exitCode()));
    }

    /**
     * An event completed from its container's inspection: the sandbox id Podman left out, and, since Podman
     * 4.3 emits no "oom" event, a {@link RuntimeEvent.Type#CONTAINER_OOM} before the death of an OOM-killed
     * container.
     */
    static List<RuntimeEvent> enriched(RuntimeEvent event, JsonNode inspect) {
        String sandboxId = event.sandboxId() != null
                ? event.sandboxId()
                : emptyToNull(inspect.path("Pod").asText(""));
        RuntimeEvent filled = new RuntimeEvent(
                event.type(), event.containerId(), sandboxId, event.time(), event.exitCode(), event.labels());
        if (event.type() == RuntimeEvent.Type.CONTAINER_DIED
                && inspect.path("State").path("OOMKilled").asBoolean(false)) {
            RuntimeEvent oom = new RuntimeEvent(
                    RuntimeEvent.Type.CONTAINER_OOM,
                    event.containerId(),
                    sandboxId,
                    event.time(),
                    null,
                    event.labels());
            return List.of(oom, filled);
        }
        return List.of(filled);
    }

    /** Podman names a pod's infra container after the first 12 characters of the pod id. */
    static boolean isInfraContainer(String containerName) {
        return INFRA_NAME.matcher(containerName).matches();
    }

    static ContainerState containerState(String podmanState) {
        return switch (podmanState.toLowerCase(Locale.ROOT)) {
            case "configured", "created", "initialized" -> ContainerState.CREATED;
            case "running", "paused", "stopping" -> ContainerState.RUNNING;
            case "exited", "stopped" -> ContainerState.EXITED;
            default -> ContainerState.UNKNOWN;
        };
    }

    /** A Podman timestamp, or null for missing and Go's zero time. */
    static Instant time(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
            return instant.equals(GO_ZERO_TIME) ? null : instant;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant requiredTime(String text) {
        Instant time = time(text);
        return time == null ? Instant.EPOCH : time;
    }

    private static List<String> addresses(JsonNode networkSettings) {
        List<String> addresses = new ArrayList<>();
        addAddress(addresses, networkSettings.path("IPAddress").asText(""));
        for (JsonNode network : networkSettings.path("Networks")) {
            addAddress(addresses, network.path("IPAddress").asText(""));
        }
        addAddress(addresses, networkSettings.path("GlobalIPv6Address").asText(""));
        for (JsonNode network : networkSettings.path("Networks")) {
            addAddress(addresses, network.path("GlobalIPv6Address").asText(""));
        }
        return addresses;
    }

    private static void addAddress(List<String> addresses, String address) {
        if (!address.isEmpty() && !addresses.contains(address)) {
            addresses.add(address);
        }
    }

    private static String containerName(Map<String, String> labels, String podmanName) {
        String name = labels.get(RuntimeLabels.CONTAINER_NAME);
        return name != null ? name : podmanName.startsWith("/") ? podmanName.substring(1) : podmanName;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!field.getValue().isNull()) {
                values.put(field.getKey(), field.getValue().asText());
            }
        }
        return values;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}

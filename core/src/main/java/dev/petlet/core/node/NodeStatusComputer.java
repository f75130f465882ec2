package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes the node status petlet wants the API server to hold, from a snapshot of the machine and the status
 * reported before. Pure: same inputs, same status.
 */
final class NodeStatusComputer {
    /** As the kubelet's {@code nodeStatusMaxImages}: the scheduler only needs the big ones. */
    static final int MAX_IMAGES = 50;

    /** As the kubelet's {@code MaxNamesPerImageInNodeStatus}. */
    static final int MAX_NAMES_PER_IMAGE = 5;

    static final String CPU = "cpu";
    static final String MEMORY = "memory";
    static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    static final String PODS = "pods";

    private final NodeSettings settings;

    NodeStatusComputer(NodeSettings settings) {
        this.settings = requireNonNull(settings, "settings");
    }

    /**
     * The status to report at {@code now}.
     *
     * @param previous the status the API server holds, whose conditions keep their transition time while their
     *     status stays the same; empty for a new node
     * @param stopping true when petlet is shutting down: the node is then NotReady whatever the facts say
     */
    NodeStatus build(NodeFacts facts, Optional<NodeStatus> previous, Instant now, boolean stopping) {
        requireNonNull(facts, "facts");
        requireNonNull(previous, "previous");
        requireNonNull(now, "now");
        Map<String, Quantity> capacity = capacity(facts);
        return new NodeStatusBuilder()
                .withConditions(conditions(facts, previous, now, stopping))
                .withAddresses(addresses())
                .withNewDaemonEndpoints()
                .withNewKubeletEndpoint()
                .withPort(settings.kubeletPort())
                .endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNodeInfo(new NodeSystemInfoBuilder()
                        .withKubeletVersion(settings.kubeletVersion())
                        .withKubeProxyVersion("")
                        .withOperatingSystem("linux")
                        .withArchitecture(facts.architecture())
                        .withContainerRuntimeVersion(facts.containerRuntimeVersion())
                        .withKernelVersion(facts.kernelVersion())
                        .withOsImage(facts.osImage())
                        .withMachineID(facts.machineId())
                        .withSystemUUID(facts.systemUuid())
                        .withBootID(facts.bootId())
                        .build())
                .withCapacity(capacity)
                .withAllocatable(allocatable(capacity))
                .withImages(images(facts.images()))
                .build();
    }

    private List<NodeCondition> conditions(
            NodeFacts facts, Optional<NodeStatus> previous, Instant now, boolean stopping) {
        List<NodeCondition> conditions = new ArrayList<>();
        conditions.add(pressure(NodeConditions.MEMORY, facts.memoryPressure(), previous, now));
        conditions.add(pressure(NodeConditions.DISK, facts.diskPressure(), previous, now));
        conditions.add(pressure(NodeConditions.PID, facts.pidPressure(), previous, now));
        Optional<String> notReady = stopping ? Optional.of(NodeConditions.STOPPING_MESSAGE) : facts.runtimeProblem();
        conditions.add(condition(
                NodeConditions.READY,
                notReady.isEmpty(),
                notReady.isEmpty() ? NodeConditions.KUBELET_READY : NodeConditions.KUBELET_NOT_READY,
                notReady.orElse("petlet is posting ready status"),
                previous,
                now));
        return conditions;
    }

    private static NodeCondition pressure(
            NodeConditions.Pressure pressure, boolean present, Optional<NodeStatus> previous, Instant now) {
        return condition(
                pressure.type(),
                present,
                present ? pressure.pressureReason() : pressure.healthyReason(),
                present ? pressure.pressureMessage() : pressure.healthyMessage(),
                previous,
                now);
    }

    private static NodeCondition condition(
            String type, boolean status, String reason, String message, Optional<NodeStatus> previous, Instant now) {
        String statusValue = status ? "True" : "False";
        String transition = previous.flatMap(p -> find(p, type))
                .filter(c -> statusValue.equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(NodeCondition::getLastTransitionTime)
                .orElse(apiTime(now));
        return new NodeConditionBuilder()
                .withType(type)
                .withStatus(statusValue)
                .withReason(reason)
                .withMessage(message)
                .withLastHeartbeatTime(apiTime(now))
                .withLastTransitionTime(transition)
                .build();
    }

    static Optional<NodeCondition> find(NodeStatus status, String type) {
        if (status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    private List<NodeAddress> addresses() {
        List<NodeAddress> addresses = new ArrayList<>();
        addresses.add(new NodeAddress(settings.internalIP(), "InternalIP"));
        settings.externalIP().ifPresent(ip -> addresses.add(new NodeAddress(ip, "ExternalIP")));
        addresses.add(new NodeAddress(settings.hostname(), "Hostname"));
        return addresses;
    }

    private Map<String, Quantity> capacity(NodeFacts facts) {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put(CPU, new Quantity(Integer.toString(facts.cpuCount())));
        capacity.put(MEMORY, new Quantity(Long.toString(facts.memoryBytes())));
        capacity.put(EPHEMERAL_STORAGE, new Quantity(Long.toString(facts.ephemeralStorageBytes())));
        capacity.put(PODS, new Quantity(Integer.toString(settings.maxPods())));
        return capacity;
    }

    /** Capacity less what the configuration reserves, never below zero. */
    private Map<String, Quantity> allocatable(Map<String, Quantity> capacity) {
        Map<String, Quantity> allocatable = new LinkedHashMap<>();
        capacity.forEach((resource, total) -> {
            String reserved = settings.reserved().get(resource);
            if (reserved == null) {
                allocatable.put(resource, total);
                return;
            }
            BigDecimal left =
                    Quantity.getAmountInBytes(total).subtract(Quantity.getAmountInBytes(new Quantity(reserved)));
            allocatable.put(resource, quantity(left.max(BigDecimal.ZERO), resource));
        });
        return allocatable;
    }

    /** CPU in millicores where a fraction remains (the API rejects finer), everything else in whole units. */
    private static Quantity quantity(BigDecimal amount, String resource) {
        if (resource.equals(CPU)) {
            BigDecimal millis = amount.movePointRight(3).setScale(0, RoundingMode.DOWN);
            return new Quantity(millis.toPlainString() + "m");
        }
        return new Quantity(amount.setScale(0, RoundingMode.DOWN).toPlainString());
    }

    /** The largest images first, at most {@link #MAX_IMAGES}, each with at most five names. */
    static List<ContainerImage> images(List<ImageSummary> images) {
        return images.stream()
                .filter(image -> !image.names().isEmpty())
                .sorted(Comparator.comparingLong(ImageSummary::sizeBytes)
                        .reversed()
                        .thenComparing(image -> image.names().get(0)))
                .limit(MAX_IMAGES)
                .map(image -> new ContainerImageBuilder()
                        .withNames(image.names()
                                .subList(
                                        0,
                                        Math.min(
                                                MAX_NAMES_PER_IMAGE,
                                                image.names().size())))
                        .withSizeBytes(image.sizeBytes())
                        .build())
                .toList();
    }

    /** Kubernetes {@code metav1.Time}: RFC 3339 in UTC, whole seconds. */
    static String apiTime(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}

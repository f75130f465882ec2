package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeDaemonEndpoints;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The strategic merge patch of {@code nodes/<name>/status} that takes the API server's status to the desired
 * one: the conditions petlet owns every time (their heartbeat moves), every other field only when it changed.
 * Conditions merge by type, so conditions others own (NetworkUnavailable) stay; the address list is replaced
 * whole, so an address removed from the configuration disappears.
 *
 * @param conditions petlet's conditions
 * @param addresses the new addresses, if they changed
 * @param daemonEndpoints the new kubelet endpoint, if it changed
 * @param nodeInfo the new system info, if it changed
 * @param capacity the new capacity, if it changed
 * @param allocatable the new allocatable resources, if they changed
 * @param images the new image list, if it changed
 */
record NodeStatusPatch(
        List<NodeCondition> conditions,
        Optional<List<NodeAddress>> addresses,
        Optional<NodeDaemonEndpoints> daemonEndpoints,
        Optional<NodeSystemInfo> nodeInfo,
        Optional<Map<String, Quantity>> capacity,
        Optional<Map<String, Quantity>> allocatable,
        Optional<List<ContainerImage>> images) {

    NodeStatusPatch {
        conditions = List.copyOf(conditions);
        requireNonNull(addresses, "addresses");
        requireNonNull(daemonEndpoints, "daemonEndpoints");
        requireNonNull(nodeInfo, "nodeInfo");
        requireNonNull(capacity, "capacity");
        requireNonNull(allocatable, "allocatable");
        requireNonNull(images, "images");
    }

    /** The patch from what the API server holds ({@code previous}; empty if unknown) to {@code desired}. */
    static NodeStatusPatch between(Optional<NodeStatus> previous, NodeStatus desired) {
        NodeStatus before = previous.orElseGet(NodeStatus::new);
        return new NodeStatusPatch(
                desired.getConditions().stream()
                        .filter(c -> NodeConditions.OWNED.contains(c.getType()))
                        .toList(),
                changedTo(addresses(before), addresses(desired), desired.getAddresses()),
                changedTo(port(before), port(desired), desired.getDaemonEndpoints()),
                changedTo(nodeInfo(before), nodeInfo(desired), desired.getNodeInfo()),
                changedTo(resources(before.getCapacity()), resources(desired.getCapacity()), desired.getCapacity()),
                changedTo(
                        resources(before.getAllocatable()),
                        resources(desired.getAllocatable()),
                        desired.getAllocatable()),
                changedTo(images(before), images(desired), desired.getImages()));
    }

    /**
     * True if {@code desired} says something {@code previous} does not, heartbeat times aside: only then, or when
     * the report frequency has passed, is the status worth a request.
     */
    static boolean differs(Optional<NodeStatus> previous, NodeStatus desired) {
        if (previous.isEmpty()) {
            return true;
        }
        NodeStatus before = previous.get();
        return !conditions(before).equals(conditions(desired))
                || between(previous, desired).changesMoreThanConditions();
    }

    /** Whether to send the status now: it changed, it was never sent, or the last report is too old. */
    static boolean reportDue(
            Optional<NodeStatus> previous,
            NodeStatus desired,
            Optional<Instant> lastReport,
            Instant now,
            Duration reportFrequency) {
        return differs(previous, desired)
                || lastReport.isEmpty()
                || !now.isBefore(lastReport.get().plus(reportFrequency));
    }

    /** True if the patch sets any field besides the conditions. */
    boolean changesMoreThanConditions() {
        return addresses.isPresent()
                || daemonEndpoints.isPresent()
                || nodeInfo.isPresent()
                || capacity.isPresent()
                || allocatable.isPresent()
                || images.isPresent();
    }

    /** The names of the status fields this patch sets, for logs. */
    List<String> changedFields() {
        List<String> fields = new ArrayList<>(List.of("conditions"));
        addresses.ifPresent(a -> fields.add("addresses"));
        daemonEndpoints.ifPresent(a -> fields.add("daemonEndpoints"));
        nodeInfo.ifPresent(a -> fields.add("nodeInfo"));
        capacity.ifPresent(a -> fields.add("capacity"));
        allocatable.ifPresent(a -> fields.add("allocatable"));
        images.ifPresent(a -> fields.add("images"));
        return fields;
    }

    /** The request body: {@code {"status": {...}}} with strategic merge directives. */
    Map<String, Object> body() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("conditions", conditions);
        addresses.ifPresent(list -> {
            // Merged by type otherwise, which would keep an ExternalIP the configuration dropped.
            List<Object> replaced = new ArrayList<>(list);
            replaced.add(Map.of("$patch", "replace"));
            status.put("addresses", replaced);
        });
        daemonEndpoints.ifPresent(value -> status.put("daemonEndpoints", value));
        nodeInfo.ifPresent(value -> status.put("nodeInfo", value));
        capacity.ifPresent(value -> status.put("capacity", value));
        allocatable.ifPresent(value -> status.put("allocatable", value));
        images.ifPresent(value -> status.put("images", value));
        return Map.of("status", status);
    }

    private static <T> Optional<T> changedTo(Object before, Object after, T value) {
        return before.equals(after) ? Optional.empty() : Optional.of(value);
    }

    /** Petlet's conditions without their times. */
    private static Map<String, List<String>> conditions(NodeStatus status) {
        Map<String, List<String>> view = new TreeMap<>();
        for (String type : NodeConditions.OWNED) {
            NodeStatusComputer.find(status, type)
                    .ifPresent(c -> view.put(type, Arrays.asList(c.getStatus(), c.getReason(), c.getMessage())));
        }
        return view;
    }

    private static List<List<String>> addresses(NodeStatus status) {
        return status.getAddresses() == null
                ? List.of()
                : status.getAddresses().stream()
                        .map(a -> Arrays.asList(a.getType(), a.getAddress()))
                        .toList();
    }

    private static Optional<Integer> port(NodeStatus status) {
        return Optional.ofNullable(status.getDaemonEndpoints())
                .map(NodeDaemonEndpoints::getKubeletEndpoint)
                .map(endpoint -> endpoint.getPort());
    }

    private static List<String> nodeInfo(NodeStatus status) {
        NodeSystemInfo info = status.getNodeInfo();
        if (info == null) {
            return List.of();
        }
        return Arrays.asList(
                info.getKubeletVersion(),
                info.getOperatingSystem(),
                info.getArchitecture(),
                info.getContainerRuntimeVersion(),
                info.getKernelVersion(),
                info.getOsImage(),
                info.getMachineID(),
                info.getSystemUUID(),
                info.getBootID());
    }

    /** By amount, since the API server may write {@code 1Gi} back as {@code 1073741824}. */
    private static Map<String, BigDecimal> resources(Map<String, Quantity> resources) {
        Map<String, BigDecimal> view = new TreeMap<>();
        if (resources != null) {
            resources.forEach((name, quantity) ->
                    view.put(name, Quantity.getAmountInBytes(quantity).stripTrailingZeros()));
        }
        return view;
    }

    private static List<List<Object>> images(NodeStatus status) {
        return status.getImages() == null
                ? List.of()
                : status.getImages().stream()
                        .map(i -> Arrays.<Object>asList(i.getNames(), i.getSizeBytes()))
                        .toList();
    }
}

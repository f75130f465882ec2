package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates this machine's Node, or adopts the one that exists (from an earlier run, or made by an administrator):
 * its labels and annotations stay, petlet's labels are set to petlet's values, and configured taints that are
 * missing are added where the API server allows it.
 */
final class NodeRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);

    private final NodeApi api;
    private final NodeSettings settings;
    private final NodeStatusComputer statusComputer;

    NodeRegistration(NodeApi api, NodeSettings settings, NodeStatusComputer statusComputer) {
        this.api = requireNonNull(api, "api");
        this.settings = requireNonNull(settings, "settings");
        this.statusComputer = requireNonNull(statusComputer, "statusComputer");
    }

    /**
     * The Node as the API server holds it after registration.
     *
     * @param node the Node
     * @param created true if this call created it, with {@code sentStatus} as its status
     * @param sentStatus the status sent with a new Node; empty when an existing Node was adopted
     */
    record Result(Node node, boolean created, Optional<NodeStatus> sentStatus) {}

    /** Registers the node; throws the API failure if it could not, to be retried. */
    Result register(NodeFacts facts, Instant now) {
        Optional<Node> existing = api.getNode(settings.nodeName());
        if (existing.isEmpty()) {
            Node node = newNode(facts, now);
            try {
                return new Result(api.createNode(node), true, Optional.of(node.getStatus()));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // Created meanwhile by someone else: adopt it.
                existing = api.getNode(settings.nodeName());
                if (existing.isEmpty()) {
                    throw e;
                }
            }
        }
        return new Result(adopt(existing.get(), facts.architecture()), false, Optional.empty());
    }

    private Node newNode(NodeFacts facts, Instant now) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(settings.nodeName())
                .withLabels(desiredLabels(settings, facts.architecture()))
                .endMetadata()
                .withNewSpec()
                .withTaints(
                        settings.taints().stream().map(NodeTaint::toApiTaint).toList())
                .endSpec()
                .withStatus(statusComputer.build(facts, Optional.empty(), now, false))
                .build();
    }

    private Node adopt(Node node, String architecture) {
        Map<String, String> labels = labelsToSet(
                Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of()),
                desiredLabels(settings, architecture));
        if (!labels.isEmpty()) {
            node = api.setLabels(settings.nodeName(), labels);
            LOG.info("set labels {} on existing node {}", labels, settings.nodeName());
        }
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of()
                : node.getSpec().getTaints();
        List<NodeTaint> missing = missingTaints(taints, settings.taints());
        if (missing.isEmpty()) {
            return node;
        }
        List<Taint> wanted = new ArrayList<>(taints);
        missing.stream().map(NodeTaint::toApiTaint).forEach(wanted::add);
        try {
            node = api.setTaints(settings.nodeName(), node.getMetadata().getResourceVersion(), wanted);
            LOG.info("added taints {} to existing node {}", missing, settings.nodeName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            LOG.warn(
                    "node {} exists without the configured taints {}, and NodeRestriction forbids a node to change"
                            + " its own taints; add them with: kubectl taint node {} {}",
                    settings.nodeName(),
                    missing,
                    settings.nodeName(),
                    missing.stream().map(NodeTaint::toString).collect(Collectors.joining(" ")));
        }
        return node;
    }

    /** The labels petlet puts on its Node: hostname, OS and architecture, then the configured ones. */
    static Map<String, String> desiredLabels(NodeSettings settings, String architecture) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NodeLabelPolicy.HOSTNAME, settings.hostname());
        labels.put(NodeLabelPolicy.OS, "linux");
        labels.put(NodeLabelPolicy.ARCH, architecture);
        labels.putAll(settings.labels());
        return labels;
    }

    /** The desired labels the Node lacks or has with another value. */
    static Map<String, String> labelsToSet(Map<String, String> current, Map<String, String> desired) {
        Map<String, String> changes = new LinkedHashMap<>();
        desired.forEach((key, value) -> {
            if (!value.equals(current.get(key))) {
                changes.put(key, value);
            }
        });
        return changes;
    }

    /**
     * The configured taints with no taint of the same key and effect on the Node. One with another value is left
     * as it is: an administrator changed it on purpose.
     */
    static List<NodeTaint> missingTaints(List<Taint> current, List<NodeTaint> desired) {
        return desired.stream()
                .filter(taint -> current.stream().noneMatch(taint::matches))
                .toList();
    }
}

package dev.petlet.core.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API requests the node controller makes, all allowed to a node by the Node authorizer and NodeRestriction.
 * Failures are {@link io.fabric8.kubernetes.client.KubernetesClientException}s carrying the HTTP status (0 when
 * the server could not be reached). The real one talks to the API server; tests use an in-memory one.
 */
interface NodeApi {
    Optional<Node> getNode(String name);

    /** Creates the Node with its labels, taints and initial status; 409 if it exists. */
    Node createNode(Node node);

    /** Sets these labels, leaving others alone. */
    Node setLabels(String name, Map<String, String> labels);

    /** Replaces the taints, if the Node is still at {@code resourceVersion} (409 otherwise). */
    Node setTaints(String name, String resourceVersion, List<Taint> taints);

    /** Patches {@code nodes/<name>/status}; 404 if the Node is gone. */
    Node patchStatus(String name, NodeStatusPatch patch);

    Optional<Lease> getLease(String namespace, String name);

    Lease createLease(Lease lease);

    /** Replaces the Lease if it is still at the resource version it carries (409 otherwise). */
    Lease updateLease(Lease lease);
}

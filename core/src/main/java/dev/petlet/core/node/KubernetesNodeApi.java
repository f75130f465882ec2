package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link NodeApi} over a fabric8 client holding the node's own credentials. */
final class KubernetesNodeApi implements NodeApi {
    private final KubernetesClient client;

    KubernetesNodeApi(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    @Override
    public Optional<Node> getNode(String name) {
        return Optional.ofNullable(client.nodes().withName(name).get());
    }

    @Override
    public Node createNode(Node node) {
        return client.nodes().resource(node).create();
    }

    @Override
    public Node setLabels(String name, Map<String, String> labels) {
        return client.nodes()
                .resource(named(name))
                .patch(PatchContext.of(PatchType.JSON_MERGE), json(Map.of("metadata", Map.of("labels", labels))));
    }

    @Override
    public Node setTaints(String name, String resourceVersion, List<Taint> taints) {
        // The resource version in a merge patch is a precondition: taints someone added meanwhile are not lost.
        return client.nodes()
                .resource(named(name))
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        json(Map.of(
                                "metadata", Map.of("resourceVersion", resourceVersion),
                                "spec", Map.of("taints", taints))));
    }

    @Override
    public Node patchStatus(String name, NodeStatusPatch patch) {
        return client.nodes()
                .resource(named(name))
                .subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), json(patch.body()));
    }

    @Override
    public Optional<Lease> getLease(String namespace, String name) {
        return Optional.ofNullable(client.resources(Lease.class)
                .inNamespace(namespace)
                .withName(name)
                .get());
    }

    @Override
    public Lease createLease(Lease lease) {
        return client.resources(Lease.class)
                .inNamespace(lease.getMetadata().getNamespace())
                .resource(lease)
                .create();
    }

    @Override
    public Lease updateLease(Lease lease) {
        return client.resources(Lease.class)
                .inNamespace(lease.getMetadata().getNamespace())
                .resource(lease)
                .update();
    }

    /**
     * A Node with only its name, to patch through: fabric8's {@code withName(name).patch(...)} first GETs the
     * object, one request too many every status update.
     */
    private static Node named(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    private String json(Object value) {
        return client.getKubernetesSerialization().asJson(value);
    }
}

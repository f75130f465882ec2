package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/** Writes pod status with a merge patch of the status subresource, deletes with a UID precondition. */
final class ApiPodStatusWriter implements PodStatusWriter {
    private final KubernetesClient client;

    ApiPodStatusWriter(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    @Override
    public void writeStatus(Pod pod, PodStatus status) {
        // resource(pod), not withName: patching by name alone GETs the pod first.
        client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .resource(pod)
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
    }

    @Override
    public void deleteFinished(Pod pod) {
        String path = "api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/"
                + pod.getMetadata().getName();
        String options = Serialization.asJson(Map.of(
                "apiVersion",
                "v1",
                "kind",
                "DeleteOptions",
                "gracePeriodSeconds",
                0,
                "preconditions",
                Map.of("uid", pod.getMetadata().getUid())));
        try {
            client.raw(client.getMasterUrl() + path, "DELETE", options);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) { // gone, or a new pod with the same name
                throw e;
            }
        }
    }
}

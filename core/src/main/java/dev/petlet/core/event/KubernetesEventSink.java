package dev.petlet.core.event;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes core/v1 Events with the node's own client: NodeRestriction lets a node create and patch events. */
final class KubernetesEventSink implements EventSink {
    private final KubernetesClient client;

    KubernetesEventSink(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    @Override
    public void create(Event event) {
        client.v1()
                .events()
                .inNamespace(event.getMetadata().getNamespace())
                .resource(event)
                .create();
    }

    @Override
    public void patch(Event event) {
        // Only what changes on a repeat, as client-go's correlator sends it.
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("count", event.getCount());
        changes.put("lastTimestamp", event.getLastTimestamp());
        changes.put("message", event.getMessage());
        // Through resource(event), not withName(): fabric8 would GET the event first, which a node may not.
        client.v1()
                .events()
                .inNamespace(event.getMetadata().getNamespace())
                .resource(event)
                .patch(
                        PatchContext.of(PatchType.STRATEGIC_MERGE),
                        client.getKubernetesSerialization().asJson(changes));
    }
}

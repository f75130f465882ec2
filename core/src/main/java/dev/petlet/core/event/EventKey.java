package dev.petlet.core.event;

import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.Objects;

/**
 * What makes two events the same occurrence for aggregation, as client-go's {@code getEventKey}: the involved
 * object (kind, namespace, name, uid, API version, field path) and the type, reason and message. The source is
 * left out because one recorder has exactly one.
 */
record EventKey(
        String kind,
        String namespace,
        String name,
        String uid,
        String apiVersion,
        String fieldPath,
        String type,
        String reason,
        String message) {

    EventKey {
        kind = Objects.requireNonNullElse(kind, "");
        namespace = Objects.requireNonNullElse(namespace, "");
        name = Objects.requireNonNullElse(name, "");
        uid = Objects.requireNonNullElse(uid, "");
        apiVersion = Objects.requireNonNullElse(apiVersion, "");
        fieldPath = Objects.requireNonNullElse(fieldPath, "");
        type = Objects.requireNonNullElse(type, "");
        reason = Objects.requireNonNullElse(reason, "");
        message = Objects.requireNonNullElse(message, "");
    }

    static EventKey of(ObjectReference involved, EventType type, String reason, String message) {
        return new EventKey(
                involved.getKind(),
                involved.getNamespace(),
                involved.getName(),
                involved.getUid(),
                involved.getApiVersion(),
                involved.getFieldPath(),
                type.apiValue(),
                reason,
                message);
    }
}

package dev.petlet.core.event;

import io.fabric8.kubernetes.api.model.Event;

/**
 * Where the recorder writes events: the API server in production, a list in tests. Failures are thrown as
 * {@link io.fabric8.kubernetes.client.KubernetesClientException} with the HTTP status code (0 when the server
 * could not be reached), which the recorder uses to decide whether to retry.
 */
interface EventSink {
    /** Creates the event; fails with 409 if an event of that name exists. */
    void create(Event event);

    /** Sets count, last timestamp and message of the existing event of that name; fails with 404 if it is gone. */
    void patch(Event event);
}

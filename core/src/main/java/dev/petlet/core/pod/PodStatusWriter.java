package dev.petlet.core.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;

/** Writes pod status and final deletions to the API server; an interface so workers test without one. */
public interface PodStatusWriter {
    /** Replaces the pod's status (the status subresource), keeping whatever the pod's spec says. */
    void writeStatus(Pod pod, PodStatus status) throws Exception;

    /**
     * Deletes the pod object with grace period 0 and a UID precondition, once the node has
     * finished with it: what ends a graceful deletion. A pod already gone is not an error.
     */
    void deleteFinished(Pod pod) throws Exception;
}

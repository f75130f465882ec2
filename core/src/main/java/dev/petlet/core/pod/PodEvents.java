package dev.petlet.core.pod;

import io.fabric8.kubernetes.api.model.Pod;

/** Where the pod machinery reports kubelet events about a pod (core/v1 Events in production). */
public interface PodEvents {
    PodEvents NOOP = new PodEvents() {
        @Override
        public void normal(Pod pod, String fieldPath, String reason, String message) {}

        @Override
        public void warning(Pod pod, String fieldPath, String reason, String message) {}
    };

    /**
     * @param fieldPath the part of the pod the event is about, e.g. {@code spec.containers{app}}; may be null
     */
    void normal(Pod pod, String fieldPath, String reason, String message);

    void warning(Pod pod, String fieldPath, String reason, String message);

    static String containerPath(String containerName) {
        return "spec.containers{" + containerName + "}";
    }
}

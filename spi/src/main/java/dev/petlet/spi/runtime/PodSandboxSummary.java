package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * A pod sandbox as listed by {@link ContainerRuntime#listPodSandboxes}: cheap to produce for many sandboxes;
 * {@link PodSandboxStatus} has the details.
 *
 * @param id the runtime's sandbox id
 * @param podUid the pod UID it was created for
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param attempt the sandbox attempt it was created with
 * @param state whether it is ready
 * @param createdAt when it was created
 * @param labels its labels, including {@link RuntimeLabels}; may include labels the runtime adds itself
 * @param annotations the annotations it was created with
 */
public record PodSandboxSummary(
        String id,
        String podUid,
        String namespace,
        String name,
        int attempt,
        PodSandboxState state,
        Instant createdAt,
        Map<String, String> labels,
        Map<String, String> annotations) {
    public PodSandboxSummary {
        requireNonNull(id, "id");
        requireNonNull(podUid, "podUid");
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        requireNonNull(state, "state");
        requireNonNull(createdAt, "createdAt");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}

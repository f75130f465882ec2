package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The observed state of one pod sandbox.
 *
 * @param id the runtime's sandbox id
 * @param podUid the pod UID it was created for
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param attempt the sandbox attempt it was created with
 * @param state whether it is ready
 * @param createdAt when it was created
 * @param ipAddresses the pod's addresses, primary first; empty for host-network pods and sandboxes that are
 *     not ready
 * @param hostNetwork whether the sandbox uses the host's network namespace
 * @param labels its labels, including {@link RuntimeLabels}; may include labels the runtime adds itself
 * @param annotations the annotations it was created with
 */
public record PodSandboxStatus(
        String id,
        String podUid,
        String namespace,
        String name,
        int attempt,
        PodSandboxState state,
        Instant createdAt,
        List<String> ipAddresses,
        boolean hostNetwork,
        Map<String, String> labels,
        Map<String, String> annotations) {
    public PodSandboxStatus {
        requireNonNull(id, "id");
        requireNonNull(podUid, "podUid");
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        requireNonNull(state, "state");
        requireNonNull(createdAt, "createdAt");
        ipAddresses = List.copyOf(ipAddresses);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}

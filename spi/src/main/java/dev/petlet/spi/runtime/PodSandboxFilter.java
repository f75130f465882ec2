package dev.petlet.spi.runtime;

import java.util.Map;

/**
 * Selects pod sandboxes in {@link ContainerRuntime#listPodSandboxes}; every non-null part must match.
 *
 * @param id nullable: only the sandbox with this id
 * @param state nullable: only sandboxes in this state
 * @param labels only sandboxes carrying all these labels with these values; empty matches all
 */
public record PodSandboxFilter(String id, PodSandboxState state, Map<String, String> labels) {
    /** Matches every sandbox. */
    public static final PodSandboxFilter ALL = new PodSandboxFilter(null, null, Map.of());

    public PodSandboxFilter {
        labels = Map.copyOf(labels);
    }

    /** Matches sandboxes carrying all the given labels. */
    public static PodSandboxFilter withLabels(Map<String, String> labels) {
        return new PodSandboxFilter(null, null, labels);
    }
}

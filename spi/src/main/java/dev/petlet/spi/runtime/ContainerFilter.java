package dev.petlet.spi.runtime;

import java.util.Map;

/**
 * Selects containers in {@link ContainerRuntime#listContainers} and {@link ContainerRuntime#stats}; every
 * non-null part must match.
 *
 * @param id nullable: only the container with this id
 * @param sandboxId nullable: only containers in this sandbox
 * @param state nullable: only containers in this state
 * @param labels only containers carrying all these labels with these values; empty matches all
 */
public record ContainerFilter(String id, String sandboxId, ContainerState state, Map<String, String> labels) {
    /** Matches every container. */
    public static final ContainerFilter ALL = new ContainerFilter(null, null, null, Map.of());

    public ContainerFilter {
        labels = Map.copyOf(labels);
    }

    /** Matches containers carrying all the given labels. */
    public static ContainerFilter withLabels(Map<String, String> labels) {
        return new ContainerFilter(null, null, null, labels);
    }

    /** Matches the containers of one sandbox. */
    public static ContainerFilter inSandbox(String sandboxId) {
        return new ContainerFilter(null, sandboxId, null, Map.of());
    }
}

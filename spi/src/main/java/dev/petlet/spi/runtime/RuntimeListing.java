package dev.petlet.spi.runtime;

import java.util.List;

/**
 * What {@link ContainerRuntime#listAll} found: sandboxes and containers, each list in no particular order.
 *
 * @param sandboxes the sandboxes, as {@link ContainerRuntime#listPodSandboxes} would list them
 * @param containers the containers, as {@link ContainerRuntime#listContainers} would list them
 */
public record RuntimeListing(List<PodSandboxSummary> sandboxes, List<ContainerSummary> containers) {
    public RuntimeListing {
        sandboxes = List.copyOf(sandboxes);
        containers = List.copyOf(containers);
    }
}

package dev.petlet.core.pod;

import dev.petlet.spi.runtime.PodSandboxStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one pass did to the runtime, so that reading the pod back afterwards inspects only that
 * ({@link ObservedStatuses#refresh}) instead of listing the runtime again. Filled by the pass's
 * thread only.
 */
final class RuntimeChanges {
    private final Set<String> containers = new LinkedHashSet<>();
    private final Set<String> sandboxes = new LinkedHashSet<>();
    private final List<PodSandboxStatus> sandboxStatuses = new ArrayList<>();
    private final Set<String> removedContainers = new LinkedHashSet<>();
    private final Set<String> removedSandboxes = new LinkedHashSet<>();

    /** A container was created, started or stopped (or tried to be): read it again. */
    void container(String id) {
        containers.add(id);
    }

    /** A sandbox was stopped (or tried to be): read it again. */
    void sandbox(String id) {
        sandboxes.add(id);
    }

    /** A sandbox was created and read since: its status needs no second reading. */
    void sandboxRead(PodSandboxStatus status) {
        sandboxStatuses.add(status);
        sandboxes.remove(status.id());
    }

    void removedContainer(String id) {
        removedContainers.add(id);
    }

    /** A sandbox was removed, with the containers in it. */
    void removedSandbox(String id) {
        removedSandboxes.add(id);
    }

    boolean isEmpty() {
        return containers.isEmpty()
                && sandboxes.isEmpty()
                && sandboxStatuses.isEmpty()
                && removedContainers.isEmpty()
                && removedSandboxes.isEmpty();
    }

    Set<String> containers() {
        return containers;
    }

    Set<String> sandboxes() {
        return sandboxes;
    }

    List<PodSandboxStatus> sandboxStatuses() {
        return sandboxStatuses;
    }

    Set<String> removedContainers() {
        return removedContainers;
    }

    Set<String> removedSandboxes() {
        return removedSandboxes;
    }
}

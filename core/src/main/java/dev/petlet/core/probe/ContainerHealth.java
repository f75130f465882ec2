package dev.petlet.core.probe;

import io.fabric8.kubernetes.api.model.Container;
import java.util.Map;
import java.util.Optional;

/**
 * What the probes last concluded about a pod's running containers, by runtime container ID: an
 * immutable input to the pod planner and status. A container without a result yet counts as the
 * kubelet counts it: not started while it has a startup probe, not ready while it has a readiness
 * probe.
 *
 * @param startupSucceeded containers whose startup probe succeeded
 * @param readinessSucceeded the last readiness result of each container that has one
 * @param failed containers that failed their liveness or startup probe and must be restarted
 */
public record ContainerHealth(
        Map<String, Boolean> startupSucceeded, Map<String, Boolean> readinessSucceeded, Map<String, ProbeKind> failed) {
    /** No probe results at all. */
    public static final ContainerHealth NONE = new ContainerHealth(Map.of(), Map.of(), Map.of());

    public ContainerHealth {
        startupSucceeded = Map.copyOf(startupSucceeded);
        readinessSucceeded = Map.copyOf(readinessSucceeded);
        failed = Map.copyOf(failed);
    }

    /** Whether a running container counts as started: it has no startup probe, or that probe succeeded. */
    public boolean started(Container spec, String containerId) {
        return spec.getStartupProbe() == null || Boolean.TRUE.equals(startupSucceeded.get(containerId));
    }

    /** Whether a running container counts as ready: started, and its readiness probe (if any) succeeded last. */
    public boolean ready(Container spec, String containerId) {
        return started(spec, containerId)
                && (spec.getReadinessProbe() == null || Boolean.TRUE.equals(readinessSucceeded.get(containerId)));
    }

    /** The probe that failed a running container (liveness or startup), if it must be restarted. */
    public Optional<ProbeKind> failure(String containerId) {
        return Optional.ofNullable(failed.get(containerId));
    }
}

package dev.petlet.core.pod;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PodSandboxSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statuses of one pod's sandboxes and containers kept from one pass to the next, so a pass
 * inspects only what changed, as the kubelet's PLEG does: it relists every second and inspects
 * a container again only when the listing shows it in another state than before.
 *
 * <p>Every pass still starts from a fresh listing (so a container that appeared, changed state or
 * vanished is always seen); a status is reused only for an object the listing shows in the same
 * state the status was read in. Inspecting is what costs Podman most per pass (it locks the
 * container and syncs its state with the OCI runtime), and a pod's periodic passes meet it
 * unchanged almost every time. What a status holds does not change while its state stays the
 * same: exit code, reason and finish time are set when the container exits, the start time when
 * it starts, and the runtime never restarts a container in place.
 *
 * <p>One per pod worker, used by its passes only, which run one at a time: not thread-safe.
 */
final class ObservedStatuses {
    /** Inspects one runtime object by id. */
    @FunctionalInterface
    interface Inspector<T> {
        T inspect(String id) throws ProviderException;
    }

    private Map<String, PodSandboxStatus> sandboxes = Map.of();
    private Map<String, ContainerStatus> containers = Map.of();

    /**
     * The statuses of what the listing shows, read again from the runtime only for objects that
     * are new or in another state than when last read. Forgets what the listing no longer shows.
     */
    ObservedPod observe(
            List<PodSandboxSummary> listedSandboxes,
            List<ContainerSummary> listedContainers,
            Inspector<PodSandboxStatus> sandboxInspector,
            Inspector<ContainerStatus> containerInspector)
            throws ProviderException {
        Map<String, PodSandboxStatus> keptSandboxes = new HashMap<>();
        List<PodSandboxStatus> sandboxStatuses = new ArrayList<>();
        for (PodSandboxSummary listed : listedSandboxes) {
            PodSandboxStatus status = sandboxes.get(listed.id());
            if (status == null || !sameState(status.state(), listed.state())) {
                status = sandboxInspector.inspect(listed.id());
            }
            keptSandboxes.put(listed.id(), status);
            sandboxStatuses.add(status);
        }
        Map<String, ContainerStatus> keptContainers = new HashMap<>();
        List<ContainerStatus> containerStatuses = new ArrayList<>();
        for (ContainerSummary listed : listedContainers) {
            ContainerStatus status = containers.get(listed.id());
            if (status == null || !sameState(status.state(), listed.state())) {
                status = containerInspector.inspect(listed.id());
            }
            keptContainers.put(listed.id(), status);
            containerStatuses.add(status);
        }
        sandboxes = keptSandboxes;
        containers = keptContainers;
        return new ObservedPod(sandboxStatuses, containerStatuses);
    }

    /** A container whose state is unknown is inspected on every pass until it is known. */
    private static boolean sameState(ContainerState status, ContainerState listed) {
        return status == listed && status != ContainerState.UNKNOWN;
    }

    private static boolean sameState(PodSandboxState status, PodSandboxState listed) {
        return status == listed;
    }
}

package dev.petlet.core.pod;

import dev.petlet.core.probe.ContainerHealth;
import dev.petlet.core.probe.ProbeManager;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.PodSandboxStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Connects a pod's worker passes to the {@link ProbeManager}. */
final class PodProbes {
    private PodProbes() {}

    /** Tells the probe manager which of the pod's containers run now; returns the probes' results. */
    static ContainerHealth update(ProbeManager probes, Pod pod, ObservedPod observed) {
        String podIp = observed.readySandbox()
                .map(PodSandboxStatus::ipAddresses)
                .filter(ips -> !ips.isEmpty())
                .map(ips -> ips.get(0))
                .orElse(Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? "127.0.0.1" : null);
        List<ProbeManager.Target> running = new ArrayList<>();
        boolean stopping = pod.getMetadata().getDeletionTimestamp() != null;
        for (ContainerStatus container : observed.containers()) {
            if (container.state() != ContainerState.RUNNING || stopping) {
                continue;
            }
            InitContainerPlanner.spec(pod, container.name())
                    .ifPresent(
                            spec -> running.add(new ProbeManager.Target(container.id(), spec, container.startedAt())));
        }
        probes.update(pod, podIp, running);
        return probes.health(pod.getMetadata().getUid());
    }

    /**
     * Whether a pass unblocked a step it did not take itself: the plan after it starts a
     * container the plan before did not (the next init container once a sidecar runs).
     */
    static boolean progressed(PodPlan before, PodPlan after) {
        Set<String> started = new HashSet<>();
        for (PodAction action : before.actions()) {
            if (action instanceof PodAction.StartContainer start) {
                started.add(start.name());
            } else if (action instanceof PodAction.StartCreated created) {
                started.add(created.name());
            }
        }
        for (PodAction action : after.actions()) {
            if (action instanceof PodAction.StartContainer start && !started.contains(start.name())) {
                return true;
            }
        }
        return false;
    }
}

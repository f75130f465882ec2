package dev.petlet.core.pod;

import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the runtime holds for one pod: its sandboxes and containers, found by the pod-UID label.
 * Immutable; rebuilt on every worker pass, which is what lets petlet re-adopt pods after a restart.
 */
record ObservedPod(List<PodSandboxStatus> sandboxes, List<ContainerStatus> containers) {
    static final ObservedPod NOTHING = new ObservedPod(List.of(), List.of());

    ObservedPod {
        sandboxes = List.copyOf(sandboxes);
        containers = List.copyOf(containers);
    }

    /** The newest sandbox, if any. */
    Optional<PodSandboxStatus> latestSandbox() {
        return sandboxes.stream()
                .max(Comparator.comparingInt(PodSandboxStatus::attempt).thenComparing(PodSandboxStatus::createdAt));
    }

    Optional<PodSandboxStatus> readySandbox() {
        return latestSandbox().filter(s -> s.state() == PodSandboxState.READY);
    }

    /** The instances of one spec container, newest (highest restart count) first. */
    List<ContainerStatus> instances(String containerName) {
        return containers.stream()
                .filter(c -> c.name().equals(containerName))
                .sorted(Comparator.comparingInt(ContainerStatus::attempt)
                        .thenComparing(ContainerStatus::createdAt)
                        .reversed())
                .toList();
    }

    Optional<ContainerStatus> current(String containerName) {
        return instances(containerName).stream().findFirst();
    }

    Optional<ContainerStatus> previous(String containerName) {
        return instances(containerName).stream().skip(1).findFirst();
    }

    List<ContainerStatus> running() {
        return containers.stream()
                .filter(c -> c.state() == ContainerState.RUNNING || c.state() == ContainerState.CREATED)
                .toList();
    }

    /** The same, with every sandbox not ready: what a stopped pod looks like. */
    ObservedPod withoutReadySandbox() {
        return new ObservedPod(
                sandboxes.stream()
                        .map(s -> new PodSandboxStatus(
                                s.id(),
                                s.podUid(),
                                s.namespace(),
                                s.name(),
                                s.attempt(),
                                PodSandboxState.NOTREADY,
                                s.createdAt(),
                                s.ipAddresses(),
                                s.hostNetwork(),
                                s.labels(),
                                s.annotations()))
                        .toList(),
                containers);
    }

    boolean isEmpty() {
        return sandboxes.isEmpty() && containers.isEmpty();
    }
}

package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.probe.ContainerHealth;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.PodSandboxStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The init-container part of "what does this pod need next", pure like {@link PodActionPlanner}:
 * init containers run one at a time in spec order, each to completion, before any app container;
 * a failed one is restarted with back-off unless the pod's restartPolicy is Never (then the pod
 * fails). Native sidecars (init containers with {@code restartPolicy: Always}) are started in
 * order too, the next init container waiting until the sidecar has started (its startup probe
 * passed), and are restarted whenever they exit, also after initialization.
 */
final class InitContainerPlanner {
    private final PodActionPlanner restarts;

    InitContainerPlanner(PodActionPlanner restarts) {
        this.restarts = requireNonNull(restarts, "restarts");
    }

    /**
     * @param initialized every init container completed (sidecars started): app containers may run
     * @param failed a regular init container failed and the restart policy is Never
     */
    record Result(
            List<PodAction> actions,
            Map<String, WaitingReason> waiting,
            Instant resyncAt,
            boolean initialized,
            boolean failed) {}

    Result plan(
            Pod pod,
            ObservedPod observed,
            boolean needSandbox,
            ContainerHealth health,
            String restartPolicy,
            Instant now) {
        List<PodAction> actions = new ArrayList<>();
        Map<String, WaitingReason> waiting = new HashMap<>();
        Instant resyncAt = null;
        String sandboxId = needSandbox
                ? null
                : observed.readySandbox().map(PodSandboxStatus::id).orElse(null);
        // Once an app container ran in this sandbox the pod is initialized for good: the kubelet
        // does not run init containers again, only restarts sidecars.
        boolean appStarted = sandboxId != null
                && pod.getSpec().getContainers().stream()
                        .anyMatch(c -> current(observed, c.getName(), sandboxId).isPresent());
        for (Container container : initContainers(pod)) {
            String name = container.getName();
            List<ContainerStatus> instances = observed.instances(name);
            for (ContainerStatus old : instances.stream().skip(2).toList()) {
                if (old.state() == ContainerState.EXITED) {
                    actions.add(new PodAction.RemoveContainer(old.id(), name));
                }
            }
            Optional<ContainerStatus> current = current(observed, name, sandboxId);
            int nextAttempt = instances.isEmpty() ? 0 : instances.get(0).attempt() + 1;
            boolean sidecar = isSidecar(container);
            if (!sidecar && appStarted) {
                continue;
            }
            if (current.isEmpty()) {
                actions.add(new PodAction.StartContainer(name, nextAttempt));
                if (sidecar && appStarted) {
                    continue;
                }
                return new Result(actions, waiting, resyncAt, false, false);
            }
            ContainerStatus instance = current.get();
            boolean blocked;
            if (instance.state() == ContainerState.RUNNING) {
                if (sidecar) {
                    List<PodAction> restart = PodActionPlanner.restartUnhealthy(pod, instance, health, true);
                    actions.addAll(restart);
                    blocked = !restart.isEmpty() || !health.started(container, instance.id());
                } else {
                    blocked = true;
                }
            } else if (instance.state() == ContainerState.CREATED) {
                actions.add(new PodAction.StartCreated(instance.id(), name));
                blocked = true;
            } else if (!sidecar && instance.exitCode() != null && instance.exitCode() == 0) {
                blocked = false;
            } else if (!sidecar && restartPolicy.equals("Never")) {
                return new Result(actions, waiting, resyncAt, false, true);
            } else {
                resyncAt = PodActionPlanner.earliest(
                        resyncAt, restarts.restartOrWait(pod, instance, now, actions, waiting));
                blocked = true;
            }
            if (blocked && !(sidecar && appStarted)) {
                return new Result(actions, waiting, resyncAt, false, false);
            }
        }
        return new Result(actions, waiting, resyncAt, true, false);
    }

    /** The container's newest instance in the given sandbox; none when there is no sandbox. */
    static Optional<ContainerStatus> current(ObservedPod observed, String name, String sandboxId) {
        if (sandboxId == null) {
            return Optional.empty();
        }
        return observed.instances(name).stream()
                .filter(c -> c.sandboxId() == null || sandboxId.equals(c.sandboxId()))
                .findFirst();
    }

    static List<Container> initContainers(Pod pod) {
        return Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of());
    }

    /** A native sidecar: an init container with {@code restartPolicy: Always}. */
    static boolean isSidecar(Container container) {
        return "Always".equals(container.getRestartPolicy());
    }

    /** The spec of a container of the pod by name, among app and init containers. */
    static Optional<Container> spec(Pod pod, String name) {
        return java.util.stream.Stream.concat(pod.getSpec().getContainers().stream(), initContainers(pod).stream())
                .filter(c -> c.getName().equals(name))
                .findFirst();
    }

    /**
     * The order in which running containers stop when the pod ends: app containers first, then
     * init containers (sidecars) in reverse spec order, as the kubelet stops sidecars last.
     */
    static List<ContainerStatus> stopOrder(Pod pod, List<ContainerStatus> running) {
        List<String> inits =
                initContainers(pod).stream().map(Container::getName).toList();
        return running.stream()
                .sorted(Comparator.comparingInt((ContainerStatus c) -> {
                    int index = inits.indexOf(c.name());
                    return index < 0 ? Integer.MIN_VALUE : -index;
                }))
                .toList();
    }
}

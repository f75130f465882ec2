package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.hook.LifecycleHooks;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.PodSandboxStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effects around a container's start and stop that the kubelet's runtime manager owns:
 * postStart after the start (a failure kills the container), preStop before the stop signal
 * within the grace period (what it takes counts against the grace period, at least 2 s remain),
 * and the events of both. Containers that stop together are stopped in parallel; sidecars one by
 * one afterwards, in the order given.
 */
final class ContainerHooks {
    private static final Logger log = LoggerFactory.getLogger(ContainerHooks.class);
    static final String POST_START_HOOK_ERROR = "PostStartHookError";
    static final Duration MINIMUM_GRACE = Duration.ofSeconds(2);
    /** The kubelet gives postStart no timeout; petlet stops waiting after this long. */
    static final Duration POST_START_LIMIT = Duration.ofMinutes(10);

    private final ContainerRuntime runtime;
    private final LifecycleHooks hooks;
    private final PodEvents events;
    private final Clock clock;

    ContainerHooks(ContainerRuntime runtime, LifecycleHooks hooks, PodEvents events, Clock clock) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.hooks = requireNonNull(hooks, "hooks");
        this.events = requireNonNull(events, "events");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The event field path of a container: {@code spec.initContainers{x}} or {@code spec.containers{x}}. */
    static String path(Pod pod, String containerName) {
        boolean init = InitContainerPlanner.initContainers(pod).stream()
                .anyMatch(c -> c.getName().equals(containerName));
        return init ? "spec.initContainers{" + containerName + "}" : PodEvents.containerPath(containerName);
    }

    /** Runs the postStart hook of a container just started; on failure reports it and kills the container. */
    void postStart(Pod pod, Container container, String containerId, String sandboxId, PodNotes notes) {
        Optional<LifecycleHandler> handler =
                Optional.ofNullable(container.getLifecycle()).map(Lifecycle::getPostStart);
        if (handler.isEmpty()) {
            return;
        }
        Optional<String> failure =
                hooks.run(pod, container, containerId, handler.get(), podIp(pod, sandboxId), POST_START_LIMIT);
        if (failure.isEmpty()) {
            return;
        }
        String path = path(pod, container.getName());
        events.warning(pod, path, "FailedPostStartHook", failure.get());
        events.normal(pod, path, "Killing", "FailedPostStartHook");
        notes.waiting(container.getName(), new WaitingReason(POST_START_HOOK_ERROR, failure.get()));
        try {
            runtime.stopContainer(containerId, PodActionPlanner.terminationGrace(pod));
        } catch (ProviderException e) {
            log.warn(
                    "pod {}/{}: cannot stop container {} after its postStart hook failed: {}",
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    container.getName(),
                    e.getMessage());
        }
    }

    /** Stops containers: app containers in parallel, then sidecars one by one, each after its preStop hook. */
    void kill(Pod pod, List<PodAction.KillContainer> kills, ObservedPod observed) throws ProviderException {
        String podIp = observed.readySandbox()
                .map(PodSandboxStatus::ipAddresses)
                .filter(ips -> !ips.isEmpty())
                .map(ips -> ips.get(0))
                .orElse(null);
        List<PodAction.KillContainer> together = new ArrayList<>();
        List<PodAction.KillContainer> oneByOne = new ArrayList<>();
        for (PodAction.KillContainer kill : kills) {
            boolean sidecar = InitContainerPlanner.spec(pod, kill.name())
                    .map(InitContainerPlanner::isSidecar)
                    .orElse(false);
            (sidecar ? oneByOne : together).add(kill);
        }
        List<Thread> threads = new ArrayList<>();
        List<ProviderException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (PodAction.KillContainer kill : together) {
            if (together.size() == 1) {
                kill(pod, kill, podIp);
                continue;
            }
            threads.add(Thread.ofVirtual().name("petlet-kill").start(() -> {
                try {
                    kill(pod, kill, podIp);
                } catch (ProviderException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        for (PodAction.KillContainer kill : oneByOne) {
            kill(pod, kill, podIp);
        }
    }

    private void kill(Pod pod, PodAction.KillContainer kill, String podIp) throws ProviderException {
        String path = path(pod, kill.name());
        events.normal(pod, path, "Killing", kill.why());
        Duration grace = kill.grace();
        Optional<Container> spec = InitContainerPlanner.spec(pod, kill.name());
        Optional<LifecycleHandler> preStop = spec.map(Container::getLifecycle).map(Lifecycle::getPreStop);
        if (preStop.isPresent() && grace.isPositive()) {
            Instant began = clock.instant();
            Optional<String> failure = hooks.run(pod, spec.get(), kill.containerId(), preStop.get(), podIp, grace);
            if (failure.isPresent()) {
                log.info(
                        "pod {}/{}: preStop hook of container {} failed: {}",
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(),
                        kill.name(),
                        failure.get());
                // Not the handler's message: it may hold secrets (as the kubelet reasons).
                events.warning(pod, path, "FailedPreStopHook", "PreStopHook failed");
            }
            Duration left = grace.minus(Duration.between(began, clock.instant()));
            grace = left.compareTo(MINIMUM_GRACE) < 0 ? MINIMUM_GRACE : left;
        }
        runtime.stopContainer(kill.containerId(), grace);
    }

    private String podIp(Pod pod, String sandboxId) {
        try {
            List<String> ips = runtime.podSandboxStatus(sandboxId).ipAddresses();
            if (!ips.isEmpty()) {
                return ips.get(0);
            }
        } catch (ProviderException e) {
            // reported by the handler as "no IP address"
        }
        return Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? "127.0.0.1" : null;
    }
}

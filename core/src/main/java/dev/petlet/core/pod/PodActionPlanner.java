package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.probe.ContainerHealth;
import dev.petlet.core.probe.ProbeKind;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "What does this pod need next?": a pure function of the desired pod, what the runtime holds,
 * the restart back-off and the time, as the kubelet's {@code computePodActions} is. Running
 * it twice on the same input gives the same plan; effects live in {@link PodSyncer}.
 */
final class PodActionPlanner {
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    private final RestartBackoff backoff;

    PodActionPlanner(RestartBackoff backoff) {
        this.backoff = requireNonNull(backoff, "backoff");
    }

    PodPlan plan(Pod pod, ObservedPod observed, Instant now) {
        return plan(pod, observed, now, ContainerHealth.NONE);
    }

    /** @param health what the probes concluded: failed containers are restarted */
    PodPlan plan(Pod pod, ObservedPod observed, Instant now, ContainerHealth health) {
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        boolean deadlineExceeded = deadlineExceeded(pod, now);
        boolean finished = PodPhases.isTerminal(pod);
        if (deleting || deadlineExceeded || finished) {
            Duration grace = deleting ? deletionGrace(pod) : terminationGrace(pod);
            String why = deleting
                    ? "Stopping container %s"
                    : deadlineExceeded
                            ? "Stopping container %s: the pod passed its activeDeadlineSeconds"
                            : "Stopping container %s: the pod has finished";
            // A deleted pod's sandbox is not stopped but removed, with its containers, once none runs (PodWorker).
            return new PodPlan(
                    stopAll(pod, observed, grace, why, !deleting), Map.of(), Optional.empty(), true, deadlineExceeded);
        }

        List<PodAction> actions = new ArrayList<>();
        Map<String, WaitingReason> waiting = new HashMap<>();
        Instant resyncAt = null;
        Optional<PodSandboxStatus> sandbox = observed.latestSandbox();
        boolean needSandbox = sandbox.isEmpty() || sandbox.get().state() != PodSandboxState.READY;
        if (needSandbox) {
            // A sandbox that died took the network namespace with it: the kubelet kills the
            // containers and starts the pod again in a new one (event SandboxChanged).
            actions.addAll(stopAll(
                    pod, observed, terminationGrace(pod), "Stopping container %s: the pod sandbox changed", true));
            actions.add(new PodAction.CreateSandbox(
                    sandbox.map(s -> s.attempt() + 1).orElse(0)));
        }
        String restartPolicy =
                Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
        InitContainerPlanner.Result init =
                new InitContainerPlanner(this).plan(pod, observed, needSandbox, health, restartPolicy, now);
        actions.addAll(init.actions());
        waiting.putAll(init.waiting());
        resyncAt = init.resyncAt();
        List<Container> appContainers = init.initialized() ? pod.getSpec().getContainers() : List.of();
        for (Container container : appContainers) {
            String name = container.getName();
            List<ContainerStatus> instances = observed.instances(name);
            for (ContainerStatus old : instances.stream().skip(2).toList()) {
                if (old.state() == ContainerState.EXITED) {
                    actions.add(new PodAction.RemoveContainer(old.id(), name));
                }
            }
            if (instances.isEmpty() || needSandbox) {
                int attempt = instances.isEmpty() ? 0 : instances.get(0).attempt() + 1;
                actions.add(new PodAction.StartContainer(name, attempt));
                continue;
            }
            ContainerStatus current = instances.get(0);
            switch (current.state()) {
                case RUNNING -> actions.addAll(restartUnhealthy(pod, current, health, !restartPolicy.equals("Never")));
                case CREATED -> actions.add(new PodAction.StartCreated(current.id(), name));
                case EXITED, UNKNOWN -> {
                    if (!shouldRestart(restartPolicy, current)) {
                        continue;
                    }
                    resyncAt = earliest(resyncAt, restartOrWait(pod, current, now, actions, waiting));
                }
            }
        }
        if (!needSandbox) {
            // Ephemeral containers start once and are never restarted, not even in a new sandbox.
            for (var ephemeral : EphemeralContainers.of(pod)) {
                if (observed.instances(ephemeral.getName()).isEmpty()) {
                    actions.add(new PodAction.StartContainer(ephemeral.getName(), 0));
                }
            }
        }
        Optional<Instant> deadline = deadline(pod);
        if (deadline.isPresent() && (resyncAt == null || deadline.get().isBefore(resyncAt))) {
            resyncAt = deadline.get(); // look again the moment activeDeadlineSeconds runs out
        }
        return new PodPlan(actions, waiting, Optional.ofNullable(resyncAt), false, false);
    }

    /**
     * Restarts an exited container, or, while its back-off lasts, records why it waits.
     *
     * @return when the back-off ends, or null if it was restarted
     */
    Instant restartOrWait(
            Pod pod,
            ContainerStatus current,
            Instant now,
            List<PodAction> actions,
            Map<String, WaitingReason> waiting) {
        String uid = pod.getMetadata().getUid();
        String name = current.name();
        Instant finishedAt = Optional.ofNullable(current.finishedAt()).orElse(now);
        Instant allowedAt = backoff.restartAllowedAt(uid, name, current.startedAt(), finishedAt);
        if (!now.isBefore(allowedAt)) {
            actions.add(new PodAction.StartContainer(name, current.attempt() + 1));
            return null;
        }
        Duration delay = Duration.between(finishedAt, allowedAt);
        waiting.put(
                name,
                new WaitingReason(
                        WaitingReason.CRASH_LOOP_BACK_OFF,
                        "back-off " + PodPhases.describe(delay) + " restarting failed container=" + name + " pod="
                                + pod.getMetadata().getName() + "_"
                                + pod.getMetadata().getNamespace() + "(" + uid
                                + ")"));
        return allowedAt;
    }

    /**
     * A running container that failed its liveness or startup probe is killed, and started again
     * at once if the restart policy allows, as the kubelet's computePodActions does.
     */
    static List<PodAction> restartUnhealthy(Pod pod, ContainerStatus current, ContainerHealth health, boolean restart) {
        return health.failure(current.id())
                .map(probe -> {
                    List<PodAction> actions = new ArrayList<>();
                    actions.add(new PodAction.KillContainer(
                            current.id(),
                            current.name(),
                            probeGrace(pod, current.name(), probe),
                            "Container " + current.name() + " failed "
                                    + probe.title().toLowerCase(java.util.Locale.ROOT) + " probe, will be restarted"));
                    if (restart) {
                        actions.add(new PodAction.StartContainer(current.name(), current.attempt() + 1));
                    }
                    return actions;
                })
                .orElse(List.of());
    }

    /** A probe's own terminationGracePeriodSeconds overrides the pod's for the kill it causes. */
    private static Duration probeGrace(Pod pod, String containerName, ProbeKind kind) {
        return InitContainerPlanner.spec(pod, containerName)
                .map(spec -> kind == ProbeKind.STARTUP ? spec.getStartupProbe() : spec.getLivenessProbe())
                .map(io.fabric8.kubernetes.api.model.Probe::getTerminationGracePeriodSeconds)
                .map(Duration::ofSeconds)
                .orElse(terminationGrace(pod));
    }

    static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    static boolean shouldRestart(String restartPolicy, ContainerStatus exited) {
        return switch (restartPolicy) {
            case "Never" -> false;
            case "OnFailure" -> exited.exitCode() == null || exited.exitCode() != 0;
            default -> true;
        };
    }

    static boolean deadlineExceeded(Pod pod, Instant now) {
        return deadline(pod).map(deadline -> !now.isBefore(deadline)).orElse(false);
    }

    /** When {@code activeDeadlineSeconds} runs out, counted from the pod's startTime. */
    static Optional<Instant> deadline(Pod pod) {
        Long seconds = pod.getSpec().getActiveDeadlineSeconds();
        String startTime = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
        return seconds == null || startTime == null
                ? Optional.empty()
                : Optional.of(Instant.parse(startTime).plusSeconds(seconds));
    }

    /** Stops what runs: app containers first, then sidecars in reverse order, then the sandbox if asked. */
    private static List<PodAction> stopAll(
            Pod pod, ObservedPod observed, Duration grace, String why, boolean stopSandbox) {
        List<PodAction> actions = new ArrayList<>();
        for (ContainerStatus container : InitContainerPlanner.stopOrder(pod, observed.running())) {
            actions.add(new PodAction.KillContainer(
                    container.id(), container.name(), grace, why.formatted(container.name())));
        }
        observed.latestSandbox()
                .filter(s -> stopSandbox && s.state() == PodSandboxState.READY)
                .ifPresent(s -> actions.add(new PodAction.StopSandbox(s.id())));
        return actions;
    }

    static Duration terminationGrace(Pod pod) {
        Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
        return seconds == null ? DEFAULT_GRACE : Duration.ofSeconds(seconds);
    }

    static Duration deletionGrace(Pod pod) {
        Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds();
        return seconds == null ? terminationGrace(pod) : Duration.ofSeconds(seconds);
    }
}

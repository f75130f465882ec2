package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

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
        String uid = pod.getMetadata().getUid();
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
            return new PodPlan(stopAll(observed, grace, why), Map.of(), Optional.empty(), true, deadlineExceeded);
        }

        List<PodAction> actions = new ArrayList<>();
        Map<String, WaitingReason> waiting = new HashMap<>();
        Instant resyncAt = null;
        Optional<PodSandboxStatus> sandbox = observed.latestSandbox();
        boolean needSandbox = sandbox.isEmpty() || sandbox.get().state() != PodSandboxState.READY;
        if (needSandbox) {
            // A sandbox that died took the network namespace with it: the kubelet kills the
            // containers and starts the pod again in a new one (event SandboxChanged).
            actions.addAll(stopAll(observed, terminationGrace(pod), "Stopping container %s: the pod sandbox changed"));
            actions.add(new PodAction.CreateSandbox(
                    sandbox.map(s -> s.attempt() + 1).orElse(0)));
        }
        String restartPolicy =
                Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
        for (Container container : pod.getSpec().getContainers()) {
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
                case RUNNING -> {}
                case CREATED -> actions.add(new PodAction.StartCreated(current.id(), name));
                case EXITED, UNKNOWN -> {
                    if (!shouldRestart(restartPolicy, current)) {
                        continue;
                    }
                    Instant finishedAt =
                            Optional.ofNullable(current.finishedAt()).orElse(now);
                    Instant allowedAt = backoff.restartAllowedAt(uid, name, current.startedAt(), finishedAt);
                    if (now.isBefore(allowedAt)) {
                        Duration delay = Duration.between(finishedAt, allowedAt);
                        waiting.put(
                                name,
                                new WaitingReason(
                                        WaitingReason.CRASH_LOOP_BACK_OFF,
                                        "back-off "
                                                + PodPhases.describe(delay) + " restarting failed container=" + name
                                                + " pod="
                                                + pod.getMetadata().getName() + "_"
                                                + pod.getMetadata().getNamespace() + "(" + uid
                                                + ")"));
                        resyncAt = resyncAt == null || allowedAt.isBefore(resyncAt) ? allowedAt : resyncAt;
                    } else {
                        actions.add(new PodAction.StartContainer(name, current.attempt() + 1));
                    }
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

    private static List<PodAction> stopAll(ObservedPod observed, Duration grace, String why) {
        List<PodAction> actions = new ArrayList<>();
        for (ContainerStatus container : observed.running()) {
            actions.add(new PodAction.KillContainer(
                    container.id(), container.name(), grace, why.formatted(container.name())));
        }
        observed.latestSandbox()
                .filter(s -> s.state() == PodSandboxState.READY)
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

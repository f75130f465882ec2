package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.probe.ContainerHealth;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.PodSandboxStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes a pod's status from its spec and what the runtime holds, the way the kubelet's
 * {@code generateAPIPodStatus} does: a pure function, so every field can be tested with values.
 */
final class PodStatusComputer {
    static final String READY_TO_START = "PodReadyToStartContainers";
    static final String INITIALIZED = "Initialized";
    static final String CONTAINERS_READY = "ContainersReady";
    static final String READY = "Ready";
    private static final Set<String> OWNED = Set.of(READY_TO_START, INITIALIZED, CONTAINERS_READY, READY);

    private final String runtimeName;

    /** Whether the kubelet owns (computes) the pod condition of this type. */
    static boolean isOwned(String conditionType) {
        return OWNED.contains(conditionType);
    }

    /** @param runtimeName the scheme of container IDs, e.g. {@code podman} in {@code podman://abc} */
    PodStatusComputer(String runtimeName) {
        this.runtimeName = requireNonNull(runtimeName, "runtimeName");
    }

    /**
     * @param notes why containers could not start in earlier passes (image pull and config errors)
     * @param terminationMessages the termination message of each exited container, by container ID
     */
    PodStatus compute(
            Pod pod,
            ObservedPod observed,
            PodPlan plan,
            Map<String, WaitingReason> notes,
            Map<String, String> terminationMessages,
            String hostIp,
            Instant now) {
        return compute(pod, observed, plan, notes, terminationMessages, hostIp, now, ContainerHealth.NONE);
    }

    /** @param health what the probes concluded: drives {@code ready} and {@code started} */
    PodStatus compute(
            Pod pod,
            ObservedPod observed,
            PodPlan plan,
            Map<String, WaitingReason> notes,
            Map<String, String> terminationMessages,
            String hostIp,
            Instant now,
            ContainerHealth health) {
        PodStatus previous = Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new);
        boolean podStopped = plan.stopping() && observed.running().isEmpty();
        String restartPolicy = podStopped
                ? "Never"
                : Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");

        List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses = new ArrayList<>();
        WaitingReason defaultWaiting = InitContainerPlanner.initContainers(pod).isEmpty()
                ? new WaitingReason(WaitingReason.CONTAINER_CREATING, "")
                : new WaitingReason(InitContainerStatuses.POD_INITIALIZING, "");
        for (Container container : pod.getSpec().getContainers()) {
            statuses.add(containerStatus(
                    container, observed, plan, notes, terminationMessages, restartPolicy, health, defaultWaiting));
        }
        statuses.sort(Comparator.comparing(io.fabric8.kubernetes.api.model.ContainerStatus::getName));
        List<io.fabric8.kubernetes.api.model.ContainerStatus> initStatuses = new ArrayList<>();
        for (Container container : InitContainerPlanner.initContainers(pod)) {
            String policy = podStopped ? "Never" : InitContainerPlanner.isSidecar(container) ? "Always" : restartPolicy;
            initStatuses.add(InitContainerStatuses.readiness(
                    container,
                    containerStatus(
                            container, observed, plan, notes, terminationMessages, policy, health, defaultWaiting)));
        }
        InitContainerStatuses init = new InitContainerStatuses(pod, initStatuses);

        String phase = PodPhases.isTerminal(pod)
                ? previous.getPhase()
                : init.phase(phase(statuses, restartPolicy), restartPolicy, statuses);
        String reason = null;
        String message = null;
        if (plan.deadlineExceeded()) {
            phase = PodPhases.FAILED;
            reason = "DeadlineExceeded";
            message = "Pod was active on the node longer than the specified deadline";
        } else if (PodPhases.isTerminal(pod)) {
            reason = previous.getReason();
            message = previous.getMessage();
        }

        Optional<PodSandboxStatus> sandbox = observed.readySandbox();
        List<String> podIps = sandbox.map(PodSandboxStatus::ipAddresses).orElse(List.of());
        if (podIps.isEmpty() && previous.getPodIPs() != null && (podStopped || PodPhases.isTerminal(pod))) {
            podIps = previous.getPodIPs().stream().map(PodIP::getIp).toList(); // keep the last known IP
        }
        List<io.fabric8.kubernetes.api.model.ContainerStatus> counted = new ArrayList<>(init.sidecars());
        counted.addAll(statuses);
        boolean allReady = counted.stream().allMatch(io.fabric8.kubernetes.api.model.ContainerStatus::getReady);
        boolean terminal = PodPhases.SUCCEEDED.equals(phase) || PodPhases.FAILED.equals(phase);
        List<String> unready = counted.stream()
                .filter(s -> !s.getReady())
                .map(io.fabric8.kubernetes.api.model.ContainerStatus::getName)
                .toList();

        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition(
                previous,
                READY_TO_START,
                sandbox.isPresent() && !podIps.isEmpty() || hostNetwork(pod) && sandbox.isPresent(),
                null,
                null,
                now));
        List<String> incomplete = init.incomplete();
        boolean initialized = incomplete.isEmpty() || wasInitialized(previous) && !PodPhases.PENDING.equals(phase);
        conditions.add(condition(
                previous,
                INITIALIZED,
                initialized,
                "ContainersNotInitialized",
                "containers with incomplete status: [" + String.join(" ", incomplete) + "]",
                now));
        String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
        String notReadyMessage =
                terminal ? null : "containers with unready status: [" + String.join(" ", unready) + "]";
        conditions.add(
                condition(previous, CONTAINERS_READY, allReady && !terminal, notReadyReason, notReadyMessage, now));
        conditions.add(condition(previous, READY, allReady && !terminal, notReadyReason, notReadyMessage, now));
        if (previous.getConditions() != null) {
            previous.getConditions().stream()
                    .filter(c -> !OWNED.contains(c.getType()))
                    .forEach(conditions::add);
        }

        return new PodStatusBuilder()
                .withPhase(phase)
                .withReason(reason)
                .withMessage(message)
                .withConditions(conditions)
                .withHostIP(hostIp)
                .withHostIPs(new HostIP(hostIp))
                .withPodIP(podIps.isEmpty() ? null : podIps.get(0))
                .withPodIPs(podIps.stream().map(PodIP::new).toList())
                .withStartTime(Optional.ofNullable(previous.getStartTime()).orElse(timestamp(now)))
                .withQosClass(QualityOfService.of(pod))
                .withContainerStatuses(statuses)
                .withInitContainerStatuses(initStatuses.isEmpty() ? previous.getInitContainerStatuses() : initStatuses)
                .withEphemeralContainerStatuses(
                        EphemeralContainers.of(pod).isEmpty()
                                ? previous.getEphemeralContainerStatuses()
                                : EphemeralContainers.of(pod).stream()
                                        .map(e -> containerStatus(
                                                EphemeralContainers.asContainer(e),
                                                observed,
                                                plan,
                                                notes,
                                                terminationMessages,
                                                "Never",
                                                health,
                                                new WaitingReason(WaitingReason.CONTAINER_CREATING, "")))
                                        .toList())
                .withNominatedNodeName(previous.getNominatedNodeName())
                .build();
    }

    private io.fabric8.kubernetes.api.model.ContainerStatus containerStatus(
            Container container,
            ObservedPod observed,
            PodPlan plan,
            Map<String, WaitingReason> notes,
            Map<String, String> terminationMessages,
            String restartPolicy,
            ContainerHealth health,
            WaitingReason defaultWaiting) {
        String name = container.getName();
        Optional<ContainerStatus> current = observed.current(name);
        Optional<ContainerStatus> previous = observed.previous(name);
        ContainerStatusBuilder status = new ContainerStatusBuilder()
                .withName(name)
                .withImage(container.getImage())
                .withImageID("")
                .withRestartCount(current.map(ContainerStatus::attempt).orElse(0))
                .withReady(false)
                .withStarted(false);
        current.ifPresent(
                c -> status.withContainerID(runtimeName + "://" + c.id()).withImageID(c.imageId()));
        Optional<WaitingReason> waitingFor =
                Optional.ofNullable(plan.waiting().get(name)).or(() -> Optional.ofNullable(notes.get(name)));
        if (current.isEmpty()) {
            WaitingReason waiting = waitingFor.orElse(defaultWaiting);
            return status.withState(waiting(waiting)).build();
        }
        ContainerStatus instance = current.get();
        switch (instance.state()) {
            case RUNNING -> {
                status.withState(new ContainerStateBuilder()
                                .withNewRunning()
                                .withStartedAt(timestamp(instance.startedAt()))
                                .endRunning()
                                .build())
                        .withReady(health.ready(container, instance.id()))
                        .withStarted(health.started(container, instance.id()));
                previous.ifPresent(p -> status.withLastState(terminated(p, terminationMessages)));
            }
            case CREATED -> {
                status.withState(waiting(waitingFor.orElse(defaultWaiting)));
                previous.ifPresent(p -> status.withLastState(terminated(p, terminationMessages)));
            }
            case EXITED, UNKNOWN -> {
                if (waitingFor.isPresent() && PodActionPlanner.shouldRestart(restartPolicy, instance)) {
                    status.withState(waiting(waitingFor.get()))
                            .withLastState(terminated(instance, terminationMessages));
                } else {
                    status.withState(terminated(instance, terminationMessages));
                    previous.ifPresent(p -> status.withLastState(terminated(p, terminationMessages)));
                }
            }
        }
        return status.build();
    }

    private io.fabric8.kubernetes.api.model.ContainerState terminated(
            ContainerStatus instance, Map<String, String> terminationMessages) {
        int exitCode =
                Optional.ofNullable(instance.exitCode()).orElse(instance.state() == ContainerState.UNKNOWN ? 137 : 0);
        String reason = Optional.ofNullable(instance.reason())
                .orElse(exitCode == 0 ? ContainerStatus.REASON_COMPLETED : ContainerStatus.REASON_ERROR);
        ContainerStateTerminated terminated = new ContainerStateTerminatedBuilder()
                .withExitCode(exitCode)
                .withReason(reason)
                .withMessage(Optional.ofNullable(terminationMessages.get(instance.id()))
                        .filter(m -> !m.isEmpty())
                        .orElse(instance.message()))
                .withStartedAt(timestamp(instance.startedAt()))
                .withFinishedAt(timestamp(instance.finishedAt()))
                .withContainerID(runtimeName + "://" + instance.id())
                .build();
        return new ContainerStateBuilder().withTerminated(terminated).build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerState waiting(WaitingReason waiting) {
        return new ContainerStateBuilder()
                .withNewWaiting()
                .withReason(waiting.reason())
                .withMessage(waiting.message().isEmpty() ? null : waiting.message())
                .endWaiting()
                .build();
    }

    /** The kubelet's getPhase for app containers. */
    static String phase(List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses, String restartPolicy) {
        int pending = 0;
        int running = 0;
        int stopped = 0;
        int succeeded = 0;
        for (io.fabric8.kubernetes.api.model.ContainerStatus status : statuses) {
            var state = status.getState();
            if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (state.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (status.getLastState() != null && status.getLastState().getTerminated() != null) {
                stopped++; // waiting to restart after having run
            } else {
                pending++;
            }
        }
        if (pending > 0) {
            return PodPhases.PENDING;
        }
        if (running > 0) {
            return PodPhases.RUNNING;
        }
        if (stopped == 0) {
            return PodPhases.PENDING;
        }
        return switch (restartPolicy) {
            case "Always" -> PodPhases.RUNNING;
            case "OnFailure" -> stopped == succeeded ? PodPhases.SUCCEEDED : PodPhases.RUNNING;
            default -> stopped == succeeded ? PodPhases.SUCCEEDED : PodPhases.FAILED;
        };
    }

    private static PodCondition condition(
            PodStatus previous, String type, boolean isTrue, String reason, String message, Instant now) {
        String status = isTrue ? "True" : "False";
        String transition = Optional.ofNullable(previous.getConditions()).orElse(List.of()).stream()
                .filter(c -> c.getType().equals(type) && c.getStatus().equals(status))
                .map(PodCondition::getLastTransitionTime)
                .findFirst()
                .orElse(timestamp(now));
        return new PodConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(isTrue ? null : reason)
                .withMessage(isTrue ? null : message)
                .withLastTransitionTime(transition)
                .withLastProbeTime(null)
                .build();
    }

    private static boolean wasInitialized(PodStatus previous) {
        return Optional.ofNullable(previous.getConditions()).orElse(List.of()).stream()
                .anyMatch(c -> INITIALIZED.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean hostNetwork(Pod pod) {
        return Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    }

    private static String timestamp(Instant instant) {
        return instant == null
                ? null
                : instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}

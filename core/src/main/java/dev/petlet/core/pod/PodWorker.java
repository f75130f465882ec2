package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.probe.ContainerHealth;
import dev.petlet.core.probe.ProbeManager;
import dev.petlet.spi.ProviderException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of one pod: observe (the last listing, see {@link RuntimeRelist}), plan, act, read back
 * what it changed, compute status, write it if it changed, and finish a deletion: once no container
 * runs, remove the sandbox with its containers and delete the API object. Always called serially
 * for a pod (see {@link PodWorkers}).
 */
final class PodWorker {
    private static final Logger log = LoggerFactory.getLogger(PodWorker.class);

    private final PodActionPlanner planner;
    private final PodSyncer syncer;
    private final PodStatusComputer statuses;
    private final TerminationMessages terminationMessages;
    private final PodStatusWriter writer;
    private final String hostIp;
    private final PodEvents events;
    private final Clock clock;
    private final ProbeManager probes;
    private final PodNotes notes = new PodNotes();
    private final ObservedStatuses observed = new ObservedStatuses();
    private PodStatus lastWritten;
    /** Set once a deleted pod's sandboxes and containers are removed: only the API object is left to delete. */
    private boolean removedFromRuntime;

    private boolean deleted;

    PodWorker(
            PodActionPlanner planner,
            PodSyncer syncer,
            PodStatusComputer statuses,
            TerminationMessages terminationMessages,
            PodStatusWriter writer,
            String hostIp,
            PodEvents events,
            Clock clock,
            ProbeManager probes) {
        this.planner = requireNonNull(planner, "planner");
        this.syncer = requireNonNull(syncer, "syncer");
        this.statuses = requireNonNull(statuses, "statuses");
        this.terminationMessages = requireNonNull(terminationMessages, "terminationMessages");
        this.writer = requireNonNull(writer, "writer");
        this.hostIp = requireNonNull(hostIp, "hostIp");
        this.events = requireNonNull(events, "events");
        this.clock = requireNonNull(clock, "clock");
        this.probes = requireNonNull(probes, "probes");
    }

    /** Runs one pass; returns when to run again at the latest, if the pod needs it (a back-off ending). */
    Optional<Instant> sync(Pod pod) throws ProviderException {
        if (deleted) {
            return Optional.empty();
        }
        if (removedFromRuntime) {
            return releaseAndDelete(pod);
        }
        String uid = pod.getMetadata().getUid();
        // Observed first: volumes' downward API files take the pod's IP from it.
        ObservedPod before = syncer.observe(uid, observed);
        if (pod.getMetadata().getDeletionTimestamp() == null && !PodPhases.isTerminal(pod)) {
            syncer.syncVolumes(pod, notes);
        }
        if (before.isEmpty() && pod.getMetadata().getDeletionTimestamp() == null) {
            if (rejected(pod.getStatus()) || rejected(lastWritten)) {
                return Optional.empty(); // as the kubelet's: never run, its status stays as written
            }
            Optional<String> forbidden = PodPhases.isTerminal(pod) || lastWritten != null
                    ? Optional.empty()
                    : SysctlAdmission.forbidden(pod);
            if (forbidden.isPresent()) {
                return reject(pod, SysctlAdmission.REASON, forbidden.get());
            }
        }
        PodPlan plan = planner.plan(pod, before, clock.instant(), probes.health(uid));
        reportHoldingBack(pod, plan, before);
        RuntimeChanges changes = new RuntimeChanges();
        if (!plan.actions().isEmpty()) {
            log.debug(
                    "pod {}/{}: {}",
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    plan.actions());
            syncer.execute(pod, plan, before, notes, changes);
        }
        ObservedPod after = changes.isEmpty() ? before : syncer.observe(uid, observed, changes);
        ContainerHealth health = PodProbes.update(probes, pod, after);
        PodPlan settled = plan.actions().isEmpty() ? plan : planner.plan(pod, after, clock.instant(), health);
        boolean finishedDeleting = pod.getMetadata().getDeletionTimestamp() != null
                && after.running().isEmpty();
        if (finishedDeleting && !after.isEmpty()) {
            try {
                syncer.remove(after);
            } catch (ProviderException e) {
                return retrySoon(pod, "cannot remove it from the runtime", e);
            }
            removedFromRuntime = true; // a pass that fails to write the status below goes on with the DELETE
            after = after.withoutReadySandbox(); // its last status is that of a pod whose sandbox stopped
        }
        // Compute from what we last wrote when the watch has not caught up with it yet: else
        // transition times and startTime come out as "now" and the status is written again.
        PodStatus status = statuses.compute(
                basis(pod),
                after,
                settled,
                notes.waiting(),
                terminationMessages.of(pod, after),
                hostIp,
                clock.instant(),
                health);
        if (!sameStatus(status, lastWritten) && !sameStatus(status, pod.getStatus())) {
            try {
                writer.writeStatus(pod, status);
                lastWritten = status;
                log.info(
                        "pod {}/{}: {}",
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(),
                        summary(status));
            } catch (Exception e) {
                if (isGone(e)) {
                    // Deleted meanwhile: the Node authorizer answers 403 for a pod no longer bound here.
                    log.debug(
                            "pod {}/{}: gone before its status was written",
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName());
                    return Optional.empty();
                }
                return retrySoon(pod, "cannot write status", e);
            }
        }
        if (finishedDeleting) {
            removedFromRuntime = true;
            return releaseAndDelete(pod);
        }
        if (PodProbes.progressed(plan, settled)) {
            return Optional.of(clock.instant()); // the next step (an init container, say) can start now
        }
        return settled.resyncAt();
    }

    /**
     * The last steps of a deletion once nothing of the pod runs: its volumes unmounted and its directory removed
     * (as the kubelet, which deletes the API object only when the pod's volumes are gone), then the DELETE.
     */
    private Optional<Instant> releaseAndDelete(Pod pod) {
        try {
            syncer.release(pod.getMetadata().getUid());
        } catch (IOException | RuntimeException e) {
            return retrySoon(pod, "cannot unmount its volumes or remove its directory", e);
        }
        return deleteFromApi(pod);
    }

    /** The last step of a deletion: DELETE with grace 0 and a UID precondition. */
    private Optional<Instant> deleteFromApi(Pod pod) {
        try {
            writer.deleteFinished(pod);
            deleted = true;
            probes.forget(pod.getMetadata().getUid());
            log.info(
                    "pod {}/{}: deleted",
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName());
        } catch (Exception e) {
            return retrySoon(pod, "cannot delete", e);
        }
        return Optional.empty();
    }

    /** Logs what failed and asks for the next pass in a second. */
    private Optional<Instant> retrySoon(Pod pod, String what, Exception e) {
        log.warn(
                "pod {}/{}: {}: {}",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                what,
                e.getMessage());
        return Optional.of(clock.instant().plusSeconds(1));
    }

    private static boolean rejected(PodStatus status) {
        return status != null
                && PodPhases.FAILED.equals(status.getPhase())
                && SysctlAdmission.REASON.equals(status.getReason());
    }

    /** The kubelet's {@code rejectPod}: a pod refused at admission fails at once, without running anything. */
    private Optional<Instant> reject(Pod pod, String reason, String message) {
        PodStatus status = new io.fabric8.kubernetes.api.model.PodStatusBuilder(
                        Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new))
                .withPhase(PodPhases.FAILED)
                .withReason(reason)
                .withMessage("Pod was rejected: " + message)
                .withQosClass(QualityOfService.of(pod))
                .build();
        try {
            writer.writeStatus(pod, status);
            lastWritten = status;
            events.warning(pod, null, reason, message);
            log.info(
                    "pod {}/{}: rejected: {}",
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    message);
            return Optional.empty();
        } catch (Exception e) {
            return retrySoon(pod, "cannot write status", e);
        }
    }

    /** The kubelet's events for a pod it holds back: a crash-loop back-off, a passed deadline. */
    private void reportHoldingBack(Pod pod, PodPlan plan, ObservedPod observed) {
        String podName = pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                + pod.getMetadata().getUid() + ")";
        plan.waiting().forEach((container, waiting) -> {
            if (waiting.reason().equals(WaitingReason.CRASH_LOOP_BACK_OFF)) {
                events.warning(
                        pod,
                        PodEvents.containerPath(container),
                        "BackOff",
                        "Back-off restarting failed container " + container + " in pod " + podName);
            }
        });
        if (plan.deadlineExceeded() && !observed.running().isEmpty()) {
            events.normal(
                    pod, null, "DeadlineExceeded", "Pod was active on the node longer than the specified deadline");
        }
    }

    /** The pod with our last written status, keeping conditions others own from the API's copy. */
    private Pod basis(Pod pod) {
        if (lastWritten == null || pod.getStatus() == null || PodPhases.isTerminal(pod)) {
            return pod;
        }
        java.util.List<io.fabric8.kubernetes.api.model.PodCondition> conditions = new java.util.ArrayList<>();
        java.util.Set<String> ours = new java.util.HashSet<>();
        for (var condition :
                java.util.Optional.ofNullable(lastWritten.getConditions()).orElse(java.util.List.of())) {
            if (PodStatusComputer.isOwned(condition.getType())) {
                conditions.add(condition);
                ours.add(condition.getType());
            }
        }
        java.util.Optional.ofNullable(pod.getStatus().getConditions()).orElse(java.util.List.of()).stream()
                .filter(condition -> !ours.contains(condition.getType()))
                .forEach(conditions::add);
        PodStatus merged = new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus())
                .withStartTime(java.util.Optional.ofNullable(pod.getStatus().getStartTime())
                        .orElse(lastWritten.getStartTime()))
                .withConditions(conditions)
                .build();
        return new io.fabric8.kubernetes.api.model.PodBuilder(pod)
                .withStatus(merged)
                .build();
    }

    private static boolean isGone(Exception e) {
        return e instanceof io.fabric8.kubernetes.client.KubernetesClientException api
                && (api.getCode() == 404
                        || api.getCode() == 403
                                && String.valueOf(api.getMessage()).contains("no relationship found"));
    }

    /** Status equality ignoring what only moves with time and was not computed by us. */
    private static boolean sameStatus(PodStatus computed, PodStatus known) {
        if (known == null) {
            return false;
        }
        return Objects.equals(computed.getPhase(), known.getPhase())
                && Objects.equals(computed.getReason(), known.getReason())
                && Objects.equals(computed.getPodIP(), known.getPodIP())
                && Objects.equals(computed.getStartTime(), known.getStartTime())
                && Objects.equals(computed.getQosClass(), known.getQosClass())
                && Objects.equals(computed.getContainerStatuses(), known.getContainerStatuses())
                && Objects.equals(computed.getEphemeralContainerStatuses(), known.getEphemeralContainerStatuses())
                && Objects.equals(computed.getInitContainerStatuses(), known.getInitContainerStatuses())
                && Objects.equals(computed.getConditions(), known.getConditions());
    }

    private static String summary(PodStatus status) {
        StringBuilder text = new StringBuilder(status.getPhase());
        for (var container : status.getContainerStatuses()) {
            var state = container.getState();
            String detail = state.getRunning() != null
                    ? "running"
                    : state.getWaiting() != null
                            ? "waiting " + state.getWaiting().getReason()
                            : "terminated " + state.getTerminated().getReason() + " ("
                                    + state.getTerminated().getExitCode() + ")";
            text.append(", ")
                    .append(container.getName())
                    .append(' ')
                    .append(detail)
                    .append(" restarts=")
                    .append(container.getRestartCount());
        }
        return text.toString();
    }
}

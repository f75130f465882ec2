package dev.petlet.core.probe;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Probes one container for one kind of probe, every periodSeconds, as the kubelet's probe worker
 * does: waits out initialDelaySeconds, runs liveness and readiness only once the container has
 * started, stops the startup probe once it succeeded, and after a liveness or startup failure
 * holds until the container is replaced (which makes a new worker).
 */
final class ProbeWorker {
    private final String podUid;
    private final ProbeKind kind;
    private final Probe probe;
    private final String containerId;
    private final Container container;
    private final Instant startedAt;
    private final ProbeThresholds thresholds;
    private final BooleanSupplier started;
    private volatile Pod pod;
    private volatile String podIp;
    private volatile boolean onHold;
    private volatile boolean stopped;

    /** @param started whether the container has started (its startup probe succeeded); for liveness and readiness */
    ProbeWorker(
            Pod pod,
            String podIp,
            ProbeKind kind,
            Probe probe,
            String containerId,
            Container container,
            Instant startedAt,
            BooleanSupplier started) {
        this.pod = requireNonNull(pod, "pod");
        this.podUid = pod.getMetadata().getUid();
        this.podIp = podIp;
        this.kind = requireNonNull(kind, "kind");
        this.probe = requireNonNull(probe, "probe");
        this.containerId = requireNonNull(containerId, "containerId");
        this.container = requireNonNull(container, "container");
        this.startedAt = startedAt;
        this.started = requireNonNull(started, "started");
        Boolean initial = switch (kind) {
            case LIVENESS -> true;
            case READINESS -> false;
            case STARTUP -> null;
        };
        this.thresholds = ProbeThresholds.of(probe, initial);
    }

    String podUid() {
        return podUid;
    }

    ProbeKind kind() {
        return kind;
    }

    String containerId() {
        return containerId;
    }

    Duration period() {
        return Duration.ofSeconds(
                Math.max(1, Optional.ofNullable(probe.getPeriodSeconds()).orElse(10)));
    }

    void refresh(Pod pod, String podIp) {
        this.pod = pod;
        this.podIp = podIp;
    }

    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    synchronized Boolean result() {
        return thresholds.result();
    }

    /**
     * Runs the probe if it is due; returns whether the result changed. Reports each failure
     * as an Unhealthy event, as the kubelet does.
     */
    boolean probeOnce(HandlerRunner runner, ProbeManager.Events events, Clock clock) {
        if (stopped || onHold) {
            return false;
        }
        if (kind == ProbeKind.STARTUP && Boolean.TRUE.equals(result())) {
            return false;
        }
        if (kind != ProbeKind.STARTUP && !started.getAsBoolean()) {
            return false;
        }
        int initialDelay = Optional.ofNullable(probe.getInitialDelaySeconds()).orElse(0);
        if (startedAt != null && clock.instant().isBefore(startedAt.plusSeconds(initialDelay))) {
            return false;
        }
        ProbeOutcome outcome = runner.probe(probe, containerId, container, podIp);
        if (stopped) {
            return false;
        }
        if (!outcome.success()) {
            events.unhealthy(pod, container, kind.title() + " probe failed: " + outcome.output());
        }
        boolean changed;
        synchronized (this) {
            changed = thresholds.record(outcome.success());
        }
        if (!outcome.success() && changed && kind != ProbeKind.READINESS) {
            onHold = true; // the pod worker restarts the container; its replacement gets a new worker
        }
        return changed;
    }
}

package dev.petlet.core.probe;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the startup, liveness and readiness probes of every running container on the node: one
 * scheduler thread times them, each probe runs on a virtual thread (exec and network calls
 * block), and a changed result asks for a pass over the pod. The pod worker tells it which
 * containers run ({@link #update}) and reads the results back as a {@link ContainerHealth}.
 */
public final class ProbeManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProbeManager.class);

    /** Where probe failures are reported: the kubelet's Unhealthy events. */
    @FunctionalInterface
    public interface Events {
        void unhealthy(Pod pod, Container container, String message);
    }

    /** A running container of a pod, with the spec it was created from. */
    public record Target(String containerId, Container spec, Instant startedAt) {}

    private final HandlerRunner runner;
    private final Events events;
    private final Consumer<String> onChange;
    private final Clock clock;
    private final EventLoopGroup grpcLoop;
    private final Map<String, Map<String, ProbeWorker>> byPod = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "petlet-probes");
        thread.setDaemon(true);
        return thread;
    });

    /** @param onChange called with the pod UID whenever a probe result of that pod changes */
    public ProbeManager(ContainerRuntime runtime, Events events, Consumer<String> onChange, Clock clock) {
        this.events = requireNonNull(events, "events");
        this.onChange = requireNonNull(onChange, "onChange");
        this.clock = requireNonNull(clock, "clock");
        this.grpcLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.runner = new HandlerRunner(new ExecCheck(runtime), new GrpcCheck(grpcLoop));
    }

    /** Runs handlers for lifecycle hooks with the same machinery. */
    public HandlerRunner runner() {
        return runner;
    }

    /**
     * Makes the pod's probe workers match its running containers: starts workers for new
     * containers, stops those of containers that no longer run. Idempotent.
     *
     * @param podIp nullable: the pod's address for network probes
     */
    public void update(Pod pod, String podIp, List<Target> running) {
        String uid = pod.getMetadata().getUid();
        Map<String, ProbeWorker> workers = byPod.computeIfAbsent(uid, u -> new ConcurrentHashMap<>());
        Set<String> wanted = new HashSet<>();
        for (Target target : running) {
            Container spec = target.spec();
            probe(spec, ProbeKind.STARTUP)
                    .ifPresent(probe -> wanted.add(start(workers, pod, podIp, target, ProbeKind.STARTUP, probe)));
            probe(spec, ProbeKind.LIVENESS)
                    .ifPresent(probe -> wanted.add(start(workers, pod, podIp, target, ProbeKind.LIVENESS, probe)));
            probe(spec, ProbeKind.READINESS)
                    .ifPresent(probe -> wanted.add(start(workers, pod, podIp, target, ProbeKind.READINESS, probe)));
        }
        workers.entrySet().removeIf(entry -> {
            if (wanted.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().stop();
            return true;
        });
    }

    /** The probe results of the pod's containers. */
    public ContainerHealth health(String podUid) {
        Map<String, Boolean> startup = new HashMap<>();
        Map<String, Boolean> readiness = new HashMap<>();
        Map<String, ProbeKind> failed = new HashMap<>();
        for (ProbeWorker worker : byPod.getOrDefault(podUid, Map.of()).values()) {
            Boolean result = worker.result();
            switch (worker.kind()) {
                case STARTUP -> {
                    if (Boolean.TRUE.equals(result)) {
                        startup.put(worker.containerId(), true);
                    } else if (Boolean.FALSE.equals(result)) {
                        failed.put(worker.containerId(), ProbeKind.STARTUP);
                    }
                }
                case READINESS -> readiness.put(worker.containerId(), Boolean.TRUE.equals(result));
                case LIVENESS -> {
                    if (Boolean.FALSE.equals(result)) {
                        failed.putIfAbsent(worker.containerId(), ProbeKind.LIVENESS);
                    }
                }
            }
        }
        return new ContainerHealth(startup, readiness, failed);
    }

    /** Stops every probe of a pod. */
    public void forget(String podUid) {
        Map<String, ProbeWorker> workers = byPod.remove(podUid);
        if (workers != null) {
            workers.values().forEach(ProbeWorker::stop);
        }
    }

    private String start(
            Map<String, ProbeWorker> workers, Pod pod, String podIp, Target target, ProbeKind kind, Probe probe) {
        String key = target.containerId() + "/" + kind;
        ProbeWorker existing = workers.get(key);
        if (existing != null) {
            existing.refresh(pod, podIp);
            return key;
        }
        String uid = pod.getMetadata().getUid();
        ProbeWorker worker = new ProbeWorker(
                pod,
                podIp,
                kind,
                probe,
                target.containerId(),
                target.spec(),
                target.startedAt(),
                () -> startupDone(uid, target));
        workers.put(key, worker);
        scheduler.execute(() -> tick(worker));
        return key;
    }

    private boolean startupDone(String uid, Target target) {
        if (target.spec().getStartupProbe() == null) {
            return true;
        }
        ProbeWorker startup = byPod.getOrDefault(uid, Map.of()).get(target.containerId() + "/" + ProbeKind.STARTUP);
        return startup != null && Boolean.TRUE.equals(startup.result());
    }

    /** Runs one probe on a virtual thread, then schedules the next one a period after this one started. */
    private void tick(ProbeWorker worker) {
        if (worker.stopped() || scheduler.isShutdown()) {
            return;
        }
        Instant began = clock.instant();
        Thread.ofVirtual().name("petlet-probe").start(() -> {
            try {
                if (worker.probeOnce(runner, events, clock)) {
                    onChange.accept(worker.podUid());
                }
            } catch (RuntimeException e) {
                log.warn("probe of container {} failed unexpectedly: {}", worker.containerId(), e.toString());
            } finally {
                long delay = Math.max(
                        0,
                        Duration.between(clock.instant(), began.plus(worker.period()))
                                .toMillis());
                if (!worker.stopped() && !scheduler.isShutdown()) {
                    try {
                        scheduler.schedule(() -> tick(worker), delay, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException closing) {
                        // the agent is stopping
                    }
                }
            }
        });
    }

    private static java.util.Optional<Probe> probe(Container spec, ProbeKind kind) {
        return java.util.Optional.ofNullable(
                switch (kind) {
                    case STARTUP -> spec.getStartupProbe();
                    case LIVENESS -> spec.getLivenessProbe();
                    case READINESS -> spec.getReadinessProbe();
                });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        byPod.values().forEach(workers -> workers.values().forEach(ProbeWorker::stop));
        byPod.clear();
        grpcLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}

package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One serialized worker per pod UID. {@link #sync} may be called from any thread, any number of
 * times: calls while a pass runs coalesce into one more pass, so a pod is never worked on by two
 * threads and no trigger is lost. Passes run on virtual threads; a failed pass is retried.
 */
final class PodWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final Function<String, Optional<Pod>> pods;
    private final Supplier<PodWorker> newWorker;
    private final Clock clock;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final ExecutorService passes = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "petlet-pod-timers");
        thread.setDaemon(true);
        return thread;
    });

    /** @param pods the desired pod by UID, from the API watch; empty once it is gone */
    PodWorkers(Function<String, Optional<Pod>> pods, Supplier<PodWorker> newWorker, Clock clock) {
        this.pods = requireNonNull(pods, "pods");
        this.newWorker = requireNonNull(newWorker, "newWorker");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Asks for a pass over the pod. */
    void sync(String uid) {
        Slot slot = slots.computeIfAbsent(uid, u -> new Slot(newWorker.get()));
        synchronized (slot) {
            if (slot.running) {
                slot.again = true;
                return;
            }
            slot.running = true;
        }
        passes.execute(() -> run(uid, slot));
    }

    /** Forgets a pod whose API object and runtime objects are gone. */
    void forget(String uid) {
        slots.remove(uid);
    }

    int size() {
        return slots.size();
    }

    private void run(String uid, Slot slot) {
        while (true) {
            Optional<Instant> next;
            try {
                next = pods.apply(uid).flatMap(pod -> {
                    try {
                        return slot.worker.sync(pod);
                    } catch (Exception e) {
                        log.warn(
                                "pod {}/{}: pass failed, retrying in {}s: {}",
                                pod.getMetadata().getNamespace(),
                                pod.getMetadata().getName(),
                                RETRY.toSeconds(),
                                e.getMessage());
                        return Optional.of(clock.instant().plus(RETRY));
                    }
                });
            } catch (RuntimeException e) {
                log.error("pod {}: unexpected failure in a pass", uid, e);
                next = Optional.of(clock.instant().plus(RETRY));
            }
            next.ifPresent(at -> schedule(uid, at));
            synchronized (slot) {
                if (!slot.again) {
                    slot.running = false;
                    return;
                }
                slot.again = false;
            }
        }
    }

    private void schedule(String uid, Instant at) {
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis()) + 50;
        timers.schedule(() -> sync(uid), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        passes.shutdown();
        try {
            passes.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Slot {
        final PodWorker worker;
        boolean running;
        boolean again;

        Slot(PodWorker worker) {
            this.worker = worker;
        }
    }
}

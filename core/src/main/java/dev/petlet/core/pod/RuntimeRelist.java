package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeLabels;
import dev.petlet.spi.runtime.RuntimeListing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's PLEG for petlet: one loop lists everything this agent labelled in the runtime, once per
 * period and soon after {@link #request} (a runtime event), keeps the last listing, and names the pods
 * whose sandboxes or containers appeared, vanished or changed state since the listing before.
 *
 * <p>Listing is the runtime's most expensive read (Podman walks and locks every container for it, so it
 * costs in proportion to the pods on the node: 0.3 s of Podman's CPU for 100 pods). Pod passes never list:
 * they take their pod's part of the last listing ({@link #latest}) and inspect only what it shows new or
 * changed ({@link ObservedStatuses}). Requests between two listings coalesce into one; two listings are at
 * least {@code minimumGap} apart, so a burst of events costs a few listings, not one per event. And the
 * listings keep the runtime's share of time in them bounded, as the listing time grows with the pods and
 * the load: one begins no sooner than {@value #PERIODIC_SPACING} times the last one's duration after it
 * began, or {@value #REQUESTED_SPACING} times when asked for. Runtime events ask for a listing as soon as
 * something of a pod changes by itself; the periodic one catches what an event stream missed.
 *
 * <p>Thread-safe. The listener runs on the loop's thread and must not block.
 */
final class RuntimeRelist implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RuntimeRelist.class);

    /** As the kubelet's {@code relistPeriod}. */
    static final Duration PERIOD = Duration.ofSeconds(1);
    /** The shortest time between the starts of two listings, when events or waiters ask for one. */
    static final Duration MINIMUM_GAP = Duration.ofMillis(100);
    /** Periodic listings take at most a twentieth of the time... */
    static final int PERIODIC_SPACING = 20;
    /** ...and at most a quarter when runtime events or waiters keep asking. */
    static final int REQUESTED_SPACING = 4;

    /** Lists the runtime's sandboxes and containers that carry all of the given labels. */
    @FunctionalInterface
    interface Lister {
        RuntimeListing list(Map<String, String> labels) throws ProviderException;
    }

    /**
     * What the runtime held when a listing began, by pod UID.
     *
     * @param listedAt {@link System#nanoTime} just before the listing was asked for: nothing it shows is
     *     older, and anything created or removed before it is reflected in it
     */
    record Snapshot(
            long listedAt,
            Map<String, List<PodSandboxSummary>> sandboxes,
            Map<String, List<ContainerSummary>> containers) {
        Snapshot {
            sandboxes = Map.copyOf(sandboxes);
            containers = Map.copyOf(containers);
        }

        List<PodSandboxSummary> sandboxesOf(String uid) {
            return sandboxes.getOrDefault(uid, List.of());
        }

        List<ContainerSummary> containersOf(String uid) {
            return containers.getOrDefault(uid, List.of());
        }

        /** Every pod UID the runtime holds something for. */
        Set<String> uids() {
            Set<String> uids = new HashSet<>(sandboxes.keySet());
            uids.addAll(containers.keySet());
            return uids;
        }

        /** What identifies a pod's state in a listing: each object's id and state. */
        Set<String> fingerprint(String uid) {
            Set<String> fingerprint = new HashSet<>();
            sandboxesOf(uid).forEach(s -> fingerprint.add(s.id() + "=" + s.state()));
            containersOf(uid).forEach(c -> fingerprint.add(c.id() + "=" + c.state()));
            return fingerprint;
        }
    }

    private final Lister lister;
    private final Map<String, String> agentLabels;
    private final Consumer<Set<String>> changed;
    private final long periodNanos;
    private final long minimumGapNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition listed = lock.newCondition();
    private Snapshot latest;
    private ProviderException failure;
    private long failedAt;
    private boolean requested;
    private boolean closed;
    private Thread loop;

    /**
     * @param changed told, after each listing, the UIDs of pods whose objects changed since the listing
     *     before (after the first listing: every pod it shows)
     */
    RuntimeRelist(
            Lister lister,
            Map<String, String> agentLabels,
            Consumer<Set<String>> changed,
            Duration period,
            Duration minimumGap) {
        this.lister = requireNonNull(lister, "lister");
        this.agentLabels = Map.copyOf(agentLabels);
        this.changed = requireNonNull(changed, "changed");
        this.periodNanos = period.toNanos();
        this.minimumGapNanos = minimumGap.toNanos();
    }

    static RuntimeRelist of(ContainerRuntime runtime, AgentLabel agent, Consumer<Set<String>> changed) {
        return new RuntimeRelist(runtime::listAll, Map.of(AgentLabel.KEY, agent.value()), changed, PERIOD, MINIMUM_GAP);
    }

    /** Starts listing; the first listing begins at once. */
    void start() {
        lock.lock();
        try {
            if (loop == null && !closed) {
                loop = Thread.ofPlatform().name("petlet-relist").daemon(true).start(this::run);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Asks for a listing soon: something changed in the runtime (an event). */
    void request() {
        lock.lock();
        try {
            requested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The last listing; waits for the first one.
     *
     * @throws ProviderException what the last listing failed with, if it failed
     */
    Snapshot latest() throws ProviderException {
        lock.lock();
        try {
            while (latest == null && failure == null) {
                awaitListing();
            }
            if (failure != null) {
                throw failure;
            }
            return latest;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A listing that began at or after {@code nanoTime} ({@link System#nanoTime}); asks for one and waits.
     *
     * @throws ProviderException what such a listing failed with
     */
    Snapshot newerThan(long nanoTime) throws ProviderException {
        lock.lock();
        try {
            requested = true;
            wake.signalAll();
            while (latest == null || latest.listedAt() - nanoTime < 0) {
                if (failure != null && failedAt - nanoTime >= 0) {
                    throw failure;
                }
                awaitListing();
            }
            return latest;
        } finally {
            lock.unlock();
        }
    }

    private void awaitListing() throws ProviderException {
        if (closed) {
            throw new ProviderException(ErrorCode.UNAVAILABLE, "the agent is stopping: no more runtime listings");
        }
        try {
            listed.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the runtime's listing");
        }
    }

    private void run() {
        long lastStart = 0;
        long lastDuration = 0;
        boolean first = true;
        while (true) {
            lock.lock();
            try {
                while (!closed && !first) {
                    long gap = requested
                            ? Math.max(minimumGapNanos, REQUESTED_SPACING * lastDuration)
                            : Math.max(periodNanos, PERIODIC_SPACING * lastDuration);
                    long wait = lastStart + gap - System.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    wake.awaitNanos(wait);
                }
                if (closed) {
                    return;
                }
                requested = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            first = false;
            lastStart = System.nanoTime();
            relist(lastStart);
            lastDuration = System.nanoTime() - lastStart;
        }
    }

    private void relist(long startedAt) {
        Snapshot snapshot = null;
        ProviderException error = null;
        try {
            snapshot = list(startedAt);
        } catch (ProviderException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new ProviderException(ErrorCode.INTERNAL, "listing the runtime's pods failed: " + e, e);
        }
        Set<String> changedUids = Set.of();
        lock.lock();
        try {
            if (snapshot != null) {
                changedUids = changes(latest, snapshot);
                latest = snapshot;
                failure = null;
            } else {
                if (failure == null) {
                    log.warn("cannot list the runtime's pods: {}", error.getMessage());
                }
                failure = error;
                failedAt = startedAt;
            }
            listed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!changedUids.isEmpty()) {
            try {
                changed.accept(changedUids);
            } catch (RuntimeException e) {
                log.error("handling changed pods {} failed", changedUids, e);
            }
        }
    }

    private Snapshot list(long startedAt) throws ProviderException {
        RuntimeListing listing = lister.list(agentLabels);
        Map<String, List<PodSandboxSummary>> sandboxes = new HashMap<>();
        for (PodSandboxSummary sandbox : listing.sandboxes()) {
            sandboxes
                    .computeIfAbsent(sandbox.podUid(), uid -> new ArrayList<>())
                    .add(sandbox);
        }
        Map<String, List<ContainerSummary>> containers = new HashMap<>();
        for (ContainerSummary container : listing.containers()) {
            String uid = container.labels().get(RuntimeLabels.POD_UID);
            if (uid != null) {
                containers.computeIfAbsent(uid, key -> new ArrayList<>()).add(container);
            }
        }
        return new Snapshot(startedAt, sandboxes, containers);
    }

    /** The pods whose objects differ between two listings; every pod of the first listing. */
    static Set<String> changes(Snapshot before, Snapshot after) {
        Set<String> uids = new HashSet<>(after.uids());
        if (before == null) {
            return uids;
        }
        uids.addAll(before.uids());
        uids.removeIf(uid -> Objects.equals(before.fingerprint(uid), after.fingerprint(uid)));
        return uids;
    }

    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            running = loop;
            wake.signalAll();
            listed.signalAll();
        } finally {
            lock.unlock();
        }
        if (running != null) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.event.EventRecorder;
import dev.petlet.core.event.EventType;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this machine's Node alive in the cluster, as the kubelet does: registers it (or adopts an existing one),
 * renews its Lease every {@link Heartbeats#leaseRenewInterval()}, recomputes its status every {@link
 * Heartbeats#statusUpdateFrequency()} and patches it when something changed or {@link
 * Heartbeats#statusReportFrequency()} passed, and records {@code Starting}, {@code NodeReady} and {@code
 * NodeNotReady} events.
 *
 * <p>All API work runs on one thread of its own; {@link #start()} returns at once. When the API server cannot be
 * reached the controller retries with backoff (200 ms doubling to 7 s) for as long as it takes, logging once when
 * an activity starts failing and once when it recovers. {@link #close()} marks the Node NotReady with a final
 * status patch, then stops; close it before the {@link EventRecorder} so its last event is written.
 */
public final class NodeController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeController.class);

    /** How long {@link #close()} tries to report the node NotReady. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final NodeApi api;
    private final NodeSettings settings;
    private final NodeFactsSource factsSource;
    private final NodeEvents events;
    private final Clock clock;
    private final NodeStatusComputer statusComputer;
    private final NodeRegistration registration;
    private final LeaseRenewer leaseRenewer;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch registered = new CountDownLatch(1);
    private volatile String nodeUid;

    // Owned by the controller thread, or by a test calling the steps directly.
    private Optional<NodeStatus> reportedStatus = Optional.empty();
    private Optional<Instant> lastReport = Optional.empty();
    private final Backoff registrationBackoff = Backoff.forApiRequests();
    private final Backoff leaseBackoff = Backoff.forApiRequests();
    private final Backoff statusBackoff = Backoff.forApiRequests();
    private final OutageLog registrationLog;
    private final OutageLog leaseLog;
    private final OutageLog statusLog;
    private ScheduledFuture<?> leaseTask;
    private ScheduledFuture<?> statusTask;

    /**
     * A controller for the node described by {@code settings}.
     *
     * @param client a client with the node's own identity ({@code system:node:<nodeName>}, group {@code
     *     system:nodes}); not closed by the controller
     * @param facts what the machine and runtime look like, read every status update
     * @param events where node events go
     * @param clock the source of heartbeat and transition times
     */
    public NodeController(
            KubernetesClient client, NodeSettings settings, NodeFactsSource facts, EventRecorder events, Clock clock) {
        this(new KubernetesNodeApi(client), settings, facts, requireNonNull(events, "events")::nodeEvent, clock);
    }

    NodeController(NodeApi api, NodeSettings settings, NodeFactsSource factsSource, NodeEvents events, Clock clock) {
        this.api = requireNonNull(api, "api");
        this.settings = requireNonNull(settings, "settings");
        this.factsSource = requireNonNull(factsSource, "factsSource");
        this.events = requireNonNull(events, "events");
        this.clock = requireNonNull(clock, "clock");
        this.statusComputer = new NodeStatusComputer(settings);
        this.registration = new NodeRegistration(api, settings, statusComputer);
        this.leaseRenewer =
                new LeaseRenewer(api, settings.nodeName(), settings.heartbeats().leaseDuration(), clock);
        String node = "node " + settings.nodeName();
        this.registrationLog = new OutageLog(LOG, "registering " + node);
        this.leaseLog = new OutageLog(LOG, "renewing the lease of " + node);
        this.statusLog = new OutageLog(LOG, "reporting the status of " + node);
        this.executor = Executors.newSingleThreadScheduledExecutor(
                task -> Thread.ofPlatform().name("petlet-node").daemon(true).unstarted(task));
    }

    /**
     * Records the {@code Starting} event and begins registering the node in the background.
     *
     * @throws IllegalStateException if already started or closed
     */
    public void start() {
        if (closing.get()) {
            throw new IllegalStateException("the node controller of " + settings.nodeName() + " is closed");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the node controller of " + settings.nodeName() + " is already started");
        }
        events.record(EventType.NORMAL, "Starting", "Starting petlet.");
        LOG.info("registering node {} with the API server", settings.nodeName());
        executor.execute(this::registrationLoop);
    }

    /** Waits until the Node is registered; true if it is, false if the timeout passed first. */
    public boolean awaitRegistration(Duration timeout) throws InterruptedException {
        return registered.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The Node's UID once registered, e.g. for owner references of mirror pods. */
    public Optional<String> nodeUid() {
        return Optional.ofNullable(nodeUid);
    }

    /**
     * Reports the node NotReady ("petlet is stopping"), trying for up to ten seconds, then stops the heartbeats.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (started.get()) {
                Future<?> stopping = executor.submit(this::markStopping);
                stopping.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            LOG.warn(
                    "could not report node {} NotReady within {} s; the control plane will mark it unknown once"
                            + " its lease expires",
                    settings.nodeName(),
                    STOP_TIMEOUT.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn(
                    "could not report node {} NotReady: {}",
                    settings.nodeName(),
                    e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // The loops: each runs on the controller thread and schedules its own next run.

    private void registrationLoop() {
        if (closing.get()) {
            return;
        }
        try {
            registerNode();
            registrationLog.succeeded();
            registrationBackoff.reset();
            cancel(leaseTask);
            cancel(statusTask);
            leaseTask = schedule(this::leaseLoop, Duration.ZERO);
            statusTask = schedule(this::statusLoop, Duration.ZERO);
        } catch (RuntimeException e) {
            registrationLog.failed(e);
            schedule(this::registrationLoop, registrationBackoff.next());
        }
    }

    private void leaseLoop() {
        if (closing.get()) {
            return;
        }
        try {
            renewLease();
            leaseLog.succeeded();
            leaseBackoff.reset();
            leaseTask = schedule(this::leaseLoop, settings.heartbeats().leaseRenewInterval());
        } catch (RuntimeException e) {
            leaseLog.failed(e);
            leaseTask = schedule(this::leaseLoop, leaseBackoff.next());
        }
    }

    private void statusLoop() {
        if (closing.get()) {
            return;
        }
        Duration frequency = settings.heartbeats().statusUpdateFrequency();
        try {
            syncStatus(false);
            statusLog.succeeded();
            statusBackoff.reset();
            statusTask = schedule(this::statusLoop, frequency);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                LOG.warn("node {} was deleted from the API server; registering it again", settings.nodeName());
                cancel(leaseTask);
                schedule(this::registrationLoop, Duration.ZERO);
                return;
            }
            statusLog.failed(e);
            statusTask = schedule(this::statusLoop, shorter(statusBackoff.next(), frequency));
        } catch (RuntimeException e) {
            statusLog.failed(e);
            statusTask = schedule(this::statusLoop, shorter(statusBackoff.next(), frequency));
        }
    }

    private void markStopping() {
        cancel(leaseTask);
        cancel(statusTask);
        if (nodeUid == null) {
            return; // never registered: nothing to mark
        }
        Backoff backoff = Backoff.forApiRequests();
        long deadline = System.nanoTime() + STOP_TIMEOUT.minusSeconds(1).toNanos();
        while (true) {
            try {
                syncStatus(true); // logs the transition to NotReady
                return;
            } catch (RuntimeException e) {
                Duration wait = backoff.next();
                if (System.nanoTime() + wait.toNanos() > deadline) {
                    LOG.warn("could not report node {} NotReady: {}", settings.nodeName(), e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // The steps: one API round each, throwing the API failure for the loop to retry.

    /** Creates or adopts the Node and remembers its UID and status. */
    void registerNode() {
        NodeFacts facts = factsSource.collect();
        Instant now = clock.instant();
        NodeRegistration.Result result = registration.register(facts, now);
        Node node = result.node();
        nodeUid = node.getMetadata().getUid();
        if (result.created()) {
            LOG.info("registered node {} (uid {})", settings.nodeName(), nodeUid);
            recordTransitions(Optional.empty(), result.sentStatus().orElseThrow());
            // The status went with the Node; reported unless the API server kept none of it.
            reportedStatus = Optional.ofNullable(node.getStatus());
            lastReport = Optional.of(now);
        } else {
            LOG.info("adopted existing node {} (uid {})", settings.nodeName(), nodeUid);
            reportedStatus = Optional.ofNullable(node.getStatus());
            lastReport = Optional.empty();
        }
        registered.countDown();
    }

    /** Renews the Lease; requires a registered node. */
    void renewLease() {
        String uid = nodeUid;
        if (uid == null) {
            throw new IllegalStateException("node " + settings.nodeName() + " is not registered yet");
        }
        leaseRenewer.renew(uid);
    }

    /**
     * Recomputes the status and patches it if it changed or is due.
     *
     * @param stopping report NotReady because petlet is stopping; always patches
     */
    void syncStatus(boolean stopping) {
        NodeFacts facts = factsSource.collect();
        Instant now = clock.instant();
        NodeStatus desired = statusComputer.build(facts, reportedStatus, now, stopping);
        if (!stopping
                && !NodeStatusPatch.reportDue(
                        reportedStatus,
                        desired,
                        lastReport,
                        now,
                        settings.heartbeats().statusReportFrequency())) {
            return;
        }
        NodeStatusPatch patch = NodeStatusPatch.between(reportedStatus, desired);
        Node node = api.patchStatus(settings.nodeName(), patch);
        LOG.debug("reported status of node {}: {}", settings.nodeName(), patch.changedFields());
        recordTransitions(reportedStatus, desired);
        reportedStatus = Optional.ofNullable(node.getStatus());
        lastReport = Optional.of(now);
    }

    Optional<Instant> lastLeaseRenewal() {
        return leaseRenewer.lastRenewal();
    }

    /**
     * An event per condition whose status changed, named as the kubelet names them: {@code KubeletReady} becomes
     * {@code NodeReady}, {@code KubeletHasSufficientMemory} becomes {@code NodeHasSufficientMemory}.
     */
    private void recordTransitions(Optional<NodeStatus> previous, NodeStatus desired) {
        for (NodeCondition condition : desired.getConditions()) {
            Optional<String> before = previous.flatMap(p -> NodeStatusComputer.find(p, condition.getType()))
                    .map(NodeCondition::getStatus);
            if (before.isPresent() && Objects.equals(before.get(), condition.getStatus())) {
                continue;
            }
            String reason = "Node" + condition.getReason().substring("Kubelet".length());
            events.record(EventType.NORMAL, reason, "Node " + settings.nodeName() + " status is now: " + reason);
            if (condition.getType().equals(NodeConditions.READY)) {
                LOG.info(
                        "node {} is {}: {}",
                        settings.nodeName(),
                        "True".equals(condition.getStatus()) ? "Ready" : "NotReady",
                        condition.getMessage());
            }
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null; // closing
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

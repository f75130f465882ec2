package dev.petlet.core.event;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.event.EventCorrelator.Observation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events the way the kubelet does: source {@code {component: kubelet, host: <node>}}, names
 * {@code <object>.<hex nanoseconds>}, and repeats within ten minutes folded into one event whose count grows.
 *
 * <p>Callers never wait for the API server: events go into a bounded queue (dropped with a debug line when it
 * is full, as client-go drops them) and one sender thread writes them in order, retrying transient failures with
 * backoff. {@link #close()} stops taking events and writes what is queued, up to a deadline. Thread-safe.
 */
public final class EventRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    /** The component name the kubelet reports; tools filter node-agent events on it. */
    static final String COMPONENT = "kubelet";

    /** Node events live in {@code default}, as the kubelet's do, because a Node has no namespace. */
    static final String NODE_EVENT_NAMESPACE = "default";

    static final int DEFAULT_QUEUE_CAPACITY = 1000;
    static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final EventSink sink;
    private final String nodeName;
    private final Clock clock;
    private final RetryPolicy retry;
    private final BlockingQueue<PendingEvent> queue;
    private final EventCorrelator correlator = new EventCorrelator();
    private final Thread sender;
    private volatile boolean closed;
    private boolean failing;

    /**
     * A recorder writing with the node's own client.
     *
     * @param client the node's client (identity {@code system:node:<nodeName>}); not closed by the recorder
     * @param nodeName this node's name, the events' source host
     * @param clock the source of event timestamps
     */
    public EventRecorder(KubernetesClient client, String nodeName, Clock clock) {
        this(new KubernetesEventSink(client), nodeName, clock, DEFAULT_QUEUE_CAPACITY, RetryPolicy.DEFAULT);
    }

    EventRecorder(EventSink sink, String nodeName, Clock clock, int queueCapacity, RetryPolicy retry) {
        this.sink = requireNonNull(sink, "sink");
        this.nodeName = requireNonNull(nodeName, "nodeName");
        this.clock = requireNonNull(clock, "clock");
        this.retry = requireNonNull(retry, "retry");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.sender = Thread.ofPlatform().name("petlet-events").daemon(true).unstarted(this::sendUntilClosed);
        sender.start();
    }

    /**
     * Records an event about any object; returns at once.
     *
     * @param involved the object the event is about; copied, so the caller may change it afterwards
     * @param type Normal or Warning
     * @param reason a short CamelCase reason, e.g. {@code Pulled}
     * @param message a sentence for people
     */
    public void event(ObjectReference involved, EventType type, String reason, String message) {
        requireNonNull(involved, "involved");
        requireNonNull(type, "type");
        requireNonNull(reason, "reason");
        requireNonNull(message, "message");
        if (closed) {
            LOG.debug("event recorder is closed; dropping event {} {}: {}", reason, involved.getName(), message);
            return;
        }
        PendingEvent pending =
                new PendingEvent(new ObjectReferenceBuilder(involved).build(), type, reason, message, clock.instant());
        if (!queue.offer(pending)) {
            LOG.debug("event queue is full; dropping event {} {}: {}", reason, involved.getName(), message);
        }
    }

    /**
     * Records an event about a pod or one of its containers.
     *
     * @param fieldPath the part of the pod it is about, e.g. {@code spec.containers{app}}; null for the whole pod
     */
    public void podEvent(Pod pod, String fieldPath, EventType type, String reason, String message) {
        event(podReference(pod, fieldPath), type, reason, message);
    }

    /** Records an event about this node, e.g. {@code Starting} or {@code NodeReady}. */
    public void nodeEvent(EventType type, String reason, String message) {
        event(nodeReference(nodeName), type, reason, message);
    }

    /** The reference the kubelet puts in pod events. */
    public static ObjectReference podReference(Pod pod, String fieldPath) {
        requireNonNull(pod, "pod");
        return new ObjectReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .withFieldPath(fieldPath)
                .build();
    }

    /**
     * The reference the kubelet puts in node events: the node's name stands in for its UID, so the reference is
     * known before the Node exists; {@code kubectl describe node} looks events up by both.
     */
    public static ObjectReference nodeReference(String nodeName) {
        requireNonNull(nodeName, "nodeName");
        return new ObjectReferenceBuilder()
                .withKind("Node")
                .withName(nodeName)
                .withUid(nodeName)
                .build();
    }

    /** Stops taking events and writes the queued ones, waiting at most five seconds. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    /** Stops taking events and writes the queued ones, waiting at most {@code timeout}; idempotent. */
    public void close(Duration timeout) {
        requireNonNull(timeout, "timeout");
        closed = true;
        try {
            sender.join(timeout);
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join(Duration.ofSeconds(1));
                LOG.warn(
                        "stopped before writing every event: the API server did not take them within {} ms; {} queued"
                                + " events are lost",
                        timeout.toMillis(),
                        queue.size());
                queue.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendUntilClosed() {
        try {
            while (!(closed && queue.isEmpty())) {
                PendingEvent next = queue.poll(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                if (next != null) {
                    write(next);
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting: leave with whatever is still queued.
        }
    }

    private void write(PendingEvent pending) throws InterruptedException {
        EventKey key = EventKey.of(pending.involved(), pending.type(), pending.reason(), pending.message());
        Observation observation = correlator.observe(key, pending.observedAt());
        Event event = toEvent(pending, observation);
        for (int attempt = 1; ; attempt++) {
            try {
                send(event, observation);
                if (failing) {
                    failing = false;
                    LOG.info("writing events to the API server again");
                }
                return;
            } catch (KubernetesClientException e) {
                if (!observation.isRepeat() && e.getCode() == 409) {
                    return; // an earlier attempt got through but its answer was lost
                }
                if (!isTransient(e)) {
                    LOG.warn(
                            "the API server rejected event {} about {} {} and it will not be retried: {}",
                            pending.reason(),
                            pending.involved().getKind(),
                            pending.involved().getName(),
                            e.getMessage());
                    correlator.forget(key, observation);
                    return;
                }
                if (!failing) {
                    failing = true;
                    LOG.warn("cannot write events to the API server, retrying: {}", e.getMessage());
                }
                if (attempt >= retry.maxAttempts()) {
                    LOG.debug(
                            "giving up on event {} after {} attempts",
                            event.getMetadata().getName(),
                            attempt);
                    correlator.forget(key, observation);
                    return;
                }
                Thread.sleep(retry.delayBefore(attempt + 1));
            } catch (RuntimeException e) {
                LOG.warn("could not write event {}: {}", event.getMetadata().getName(), e.toString());
                correlator.forget(key, observation);
                return;
            }
        }
    }

    private void send(Event event, Observation observation) {
        if (!observation.isRepeat()) {
            sink.create(event);
            return;
        }
        try {
            sink.patch(event);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            // Gone (expired or deleted): write it anew with the count so far, as client-go does.
            sink.create(event);
        }
    }

    private Event toEvent(PendingEvent pending, Observation observation) {
        ObjectReference involved = pending.involved();
        String namespace =
                involved.getNamespace() == null || involved.getNamespace().isEmpty()
                        ? NODE_EVENT_NAMESPACE
                        : involved.getNamespace();
        return new EventBuilder()
                .withNewMetadata()
                .withName(observation.name())
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(involved)
                .withType(pending.type().apiValue())
                .withReason(pending.reason())
                .withMessage(pending.message())
                .withCount(observation.count())
                .withFirstTimestamp(apiTime(observation.firstTimestamp()))
                .withLastTimestamp(apiTime(observation.lastTimestamp()))
                .withNewSource()
                .withComponent(COMPONENT)
                .withHost(nodeName)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(nodeName)
                .build();
    }

    /** Kubernetes {@code metav1.Time}: RFC 3339 in UTC, whole seconds. */
    static String apiTime(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Worth retrying: the server was unreachable (code 0), timed out, throttled us, or failed inside. */
    static boolean isTransient(KubernetesClientException e) {
        int code = e.getCode();
        return code == 0 || code == 408 || code == 429 || code >= 500;
    }

    private record PendingEvent(
            ObjectReference involved, EventType type, String reason, String message, Instant observedAt) {}

    /**
     * How often and how patiently to retry a transient failure: like client-go, a dozen attempts, with waits
     * doubling from {@code initialDelay} up to {@code maxDelay}.
     */
    record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        static final RetryPolicy DEFAULT = new RetryPolicy(12, Duration.ofMillis(500), Duration.ofSeconds(10));

        RetryPolicy {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
            requireNonNull(initialDelay, "initialDelay");
            requireNonNull(maxDelay, "maxDelay");
        }

        /** The wait before attempt number {@code attempt} (2 or more). */
        Duration delayBefore(int attempt) {
            Duration delay = initialDelay;
            for (int i = 2; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
                delay = delay.multipliedBy(2);
            }
            return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
        }
    }
}

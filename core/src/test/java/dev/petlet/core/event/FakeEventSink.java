package dev.petlet.core.event;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** An API server's events in memory, with failures to inject. */
final class FakeEventSink implements EventSink {
    private final Map<String, Event> stored = new LinkedHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private final Deque<KubernetesClientException> failures = new ArrayDeque<>();
    private CountDownLatch gate = new CountDownLatch(0);
    private boolean expireFirstCreate;

    /** The next calls fail with these, in order. */
    synchronized void failNext(KubernetesClientException... exceptions) {
        failures.addAll(List.of(exceptions));
    }

    /** The next created event is accepted but gone at once, as if the API server's event TTL had passed. */
    synchronized void expireCreatedEvents() {
        expireFirstCreate = true;
    }

    /** Holds every request until {@link #releaseRequests()}. */
    synchronized void holdRequests() {
        gate = new CountDownLatch(1);
    }

    synchronized void releaseRequests() {
        gate.countDown();
    }

    synchronized List<Event> events() {
        return List.copyOf(stored.values());
    }

    /** "create name" and "patch name", in order, including failed ones. */
    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void create(Event event) {
        String name = event.getMetadata().getName();
        awaitGate();
        synchronized (this) {
            requests.add("create " + name);
            failIfAsked();
            if (stored.containsKey(name)) {
                throw new KubernetesClientException("already exists", 409, null);
            }
            if (expireFirstCreate) {
                expireFirstCreate = false;
                return;
            }
            stored.put(name, new EventBuilder(event).build());
        }
    }

    @Override
    public void patch(Event event) {
        String name = event.getMetadata().getName();
        awaitGate();
        synchronized (this) {
            requests.add("patch " + name);
            failIfAsked();
            Event existing = stored.get(name);
            if (existing == null) {
                throw new KubernetesClientException("not found", 404, null);
            }
            stored.put(
                    name,
                    new EventBuilder(existing)
                            .withCount(event.getCount())
                            .withLastTimestamp(event.getLastTimestamp())
                            .withMessage(event.getMessage())
                            .build());
        }
    }

    private void awaitGate() {
        CountDownLatch current;
        synchronized (this) {
            current = gate;
        }
        try {
            current.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", 0, null);
        }
    }

    private void failIfAsked() {
        KubernetesClientException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
    }
}

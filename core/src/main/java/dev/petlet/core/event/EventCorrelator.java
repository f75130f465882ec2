package dev.petlet.core.event;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides whether an event is new (create it) or a repeat of one written less than {@link #AGGREGATION_WINDOW}
 * ago (patch that one's count and last timestamp), like client-go's correlator does for the kubelet, so a pod
 * stuck in a crash loop makes one event with a growing count instead of thousands of objects. Not thread-safe:
 * the recorder's sender thread owns it.
 */
final class EventCorrelator {
    static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);

    /** As client-go's {@code maxLruCacheEntries}: enough for a busy node, bounded for a long-running one. */
    static final int MAX_REMEMBERED_EVENTS = 4096;

    private final int capacity;
    private final Map<EventKey, Observation> remembered;
    private long lastNameNanos;

    EventCorrelator() {
        this(MAX_REMEMBERED_EVENTS);
    }

    EventCorrelator(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.remembered = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<EventKey, Observation> eldest) {
                return size() > EventCorrelator.this.capacity;
            }
        };
    }

    /**
     * What to write for an event observed at {@code observedAt}: a new event with count 1, or the earlier event
     * with its count raised by one. Remembers the answer, so call it once per occurrence.
     */
    Observation observe(EventKey key, Instant observedAt) {
        requireNonNull(key, "key");
        requireNonNull(observedAt, "observedAt");
        Observation previous = remembered.get(key);
        Observation next;
        if (previous != null && !observedAt.isAfter(previous.lastTimestamp().plus(AGGREGATION_WINDOW))) {
            Instant last = observedAt.isAfter(previous.lastTimestamp()) ? observedAt : previous.lastTimestamp();
            next = new Observation(previous.name(), previous.count() + 1, previous.firstTimestamp(), last);
        } else {
            next = new Observation(newName(key.name(), observedAt), 1, observedAt, observedAt);
        }
        remembered.put(key, next);
        return next;
    }

    /**
     * Forgets an event that could not be written, so the next occurrence creates a fresh one instead of patching
     * an event the API server never stored. Does nothing if a later occurrence has replaced it already.
     */
    void forget(EventKey key, Observation observation) {
        remembered.remove(key, observation);
    }

    int rememberedCount() {
        return remembered.size();
    }

    /**
     * {@code <involved object name>.<hex Unix nanoseconds>} as client-go names events; the nanoseconds move
     * forward by at least one per event so two events in the same clock tick do not collide.
     */
    private String newName(String involvedName, Instant observedAt) {
        long nanos = observedAt.getEpochSecond() * 1_000_000_000L + observedAt.getNano();
        if (nanos <= lastNameNanos) {
            nanos = lastNameNanos + 1;
        }
        lastNameNanos = nanos;
        return involvedName + "." + Long.toHexString(nanos);
    }

    /**
     * One event as the API server should hold it after this occurrence.
     *
     * @param name the Event object's name
     * @param count how often it happened; 1 for a new event
     * @param firstTimestamp when it first happened
     * @param lastTimestamp when it last happened
     */
    record Observation(String name, int count, Instant firstTimestamp, Instant lastTimestamp) {
        Observation {
            requireNonNull(name, "name");
            requireNonNull(firstTimestamp, "firstTimestamp");
            requireNonNull(lastTimestamp, "lastTimestamp");
        }

        /** True if this occurrence updates an event written earlier rather than creating one. */
        boolean isRepeat() {
            return count > 1;
        }
    }
}

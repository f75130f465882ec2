package dev.petlet.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.event.EventCorrelator.Observation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCorrelatorTest {
    private static final Instant START = Instant.parse("2025-01-01T10:00:00.123456789Z");

    private final EventCorrelator correlator = new EventCorrelator();

    private static EventKey key(String reason, String message) {
        return new EventKey("Pod", "shop", "web-1", "uid-1", "v1", "spec.containers{app}", "Normal", reason, message);
    }

    @Test
    void firstOccurrenceCreatesAnEventNamedAfterTheObjectAndTheTimeInHexNanoseconds() {
        Observation first = correlator.observe(key("Pulled", "pulled"), START);

        assertThat(first.isRepeat()).isFalse();
        assertThat(first.count()).isEqualTo(1);
        long nanos = START.getEpochSecond() * 1_000_000_000L + START.getNano();
        assertThat(first.name()).isEqualTo("web-1." + Long.toHexString(nanos));
        assertThat(first.firstTimestamp()).isEqualTo(START);
        assertThat(first.lastTimestamp()).isEqualTo(START);
    }

    @Test
    void repeatWithinTenMinutesUpdatesTheSameEvent() {
        Observation first = correlator.observe(key("BackOff", "back-off restarting"), START);
        Observation second = correlator.observe(key("BackOff", "back-off restarting"), START.plusSeconds(30));
        Observation third = correlator.observe(
                key("BackOff", "back-off restarting"),
                START.plus(Duration.ofMinutes(10).plusSeconds(30)));

        assertThat(second.isRepeat()).isTrue();
        assertThat(second.name()).isEqualTo(first.name());
        assertThat(second.count()).isEqualTo(2);
        assertThat(second.firstTimestamp()).isEqualTo(START);
        assertThat(second.lastTimestamp()).isEqualTo(START.plusSeconds(30));
        // The window runs from the last occurrence, not the first.
        assertThat(third.name()).isEqualTo(first.name());
        assertThat(third.count()).isEqualTo(3);
    }

    @Test
    void repeatAfterTenMinutesOfQuietCreatesANewEvent() {
        Observation first = correlator.observe(key("BackOff", "back-off"), START);
        Observation later = correlator.observe(
                key("BackOff", "back-off"), START.plus(Duration.ofMinutes(10)).plusSeconds(1));

        assertThat(later.isRepeat()).isFalse();
        assertThat(later.name()).isNotEqualTo(first.name());
        assertThat(later.count()).isEqualTo(1);
    }

    @Test
    void anotherMessageReasonOrObjectIsAnotherEvent() {
        Observation first = correlator.observe(key("Failed", "image a not found"), START);

        assertThat(correlator.observe(key("Failed", "image b not found"), START).isRepeat())
                .isFalse();
        assertThat(correlator.observe(key("Pulled", "image a not found"), START).isRepeat())
                .isFalse();
        EventKey otherPod =
                new EventKey("Pod", "shop", "web-2", "uid-2", "v1", "", "Normal", "Failed", "image a not found");
        assertThat(correlator.observe(otherPod, START).isRepeat()).isFalse();
        assertThat(correlator.observe(key("Failed", "image a not found"), START).name())
                .isEqualTo(first.name());
    }

    @Test
    void eventsInTheSameInstantGetDistinctNames() {
        Observation a = correlator.observe(key("Created", "a"), START);
        Observation b = correlator.observe(key("Created", "b"), START);

        assertThat(a.name()).isNotEqualTo(b.name());
    }

    @Test
    void aForgottenEventIsCreatedAnewNextTime() {
        Observation first = correlator.observe(key("Pulled", "pulled"), START);
        correlator.forget(key("Pulled", "pulled"), first);

        Observation next = correlator.observe(key("Pulled", "pulled"), START.plusSeconds(1));

        assertThat(next.isRepeat()).isFalse();
        assertThat(next.name()).isNotEqualTo(first.name());
    }

    @Test
    void forgettingAnOutdatedObservationKeepsTheNewerOne() {
        Observation first = correlator.observe(key("Pulled", "pulled"), START);
        correlator.observe(key("Pulled", "pulled"), START.plusSeconds(1));
        correlator.forget(key("Pulled", "pulled"), first);

        assertThat(correlator
                        .observe(key("Pulled", "pulled"), START.plusSeconds(2))
                        .count())
                .isEqualTo(3);
    }

    @Test
    void remembersABoundedNumberOfEventsDroppingTheLeastRecentlySeen() {
        EventCorrelator small = new EventCorrelator(2);
        small.observe(key("A", "a"), START);
        small.observe(key("B", "b"), START);
        small.observe(key("A", "a"), START.plusSeconds(1));
        small.observe(key("C", "c"), START.plusSeconds(2));

        assertThat(small.rememberedCount()).isEqualTo(2);
        assertThat(small.observe(key("A", "a"), START.plusSeconds(3)).isRepeat())
                .isTrue();
        assertThat(small.observe(key("B", "b"), START.plusSeconds(3)).isRepeat())
                .isFalse();
    }
}

package dev.petlet.core.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {
    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofDays(100));

    @Test
    void renewsBetweenSeventyAndNinetyPercentOfTheLifetime() {
        assertThat(new RenewalSchedule(0.7, 0.9, () -> 0).renewalTime(NOT_BEFORE, NOT_AFTER, NOT_BEFORE))
                .isEqualTo(NOT_BEFORE.plus(Duration.ofDays(70)));
        assertThat(new RenewalSchedule(0.7, 0.9, () -> 0.5).renewalTime(NOT_BEFORE, NOT_AFTER, NOT_BEFORE))
                .isEqualTo(NOT_BEFORE.plus(Duration.ofDays(80)));
        assertThat(new RenewalSchedule(0.7, 0.9, () -> 0.999999).renewalTime(NOT_BEFORE, NOT_AFTER, NOT_BEFORE))
                .isBetween(NOT_BEFORE.plus(Duration.ofDays(89)), NOT_BEFORE.plus(Duration.ofDays(90)));
    }

    @Test
    void theKubeletWindowIsJittered() {
        RenewalSchedule kubelet = RenewalSchedule.kubelet();
        long distinct = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> kubelet.renewalTime(NOT_BEFORE, NOT_AFTER, NOT_BEFORE))
                .peek(at -> assertThat(at)
                        .isBetween(NOT_BEFORE.plus(Duration.ofDays(70)), NOT_BEFORE.plus(Duration.ofDays(90))))
                .distinct()
                .count();
        assertThat(distinct).isGreaterThan(1);
    }

    @Test
    void aTestFractionRenewsEarly() {
        Instant tenMinutes = NOT_BEFORE.plus(Duration.ofMinutes(10));
        assertThat(RenewalSchedule.atFraction(0.2).renewalTime(NOT_BEFORE, tenMinutes, NOT_BEFORE))
                .isEqualTo(NOT_BEFORE.plus(Duration.ofMinutes(2)));
    }

    @Test
    void aPastRenewalTimeMeansSoonButNotInALoop() {
        Instant now = NOT_BEFORE.plus(Duration.ofDays(95));
        assertThat(RenewalSchedule.kubelet().renewalTime(NOT_BEFORE, NOT_AFTER, now))
                .isEqualTo(now.plus(RenewalSchedule.MINIMUM_DELAY));
    }

    @Test
    void refusesAWindowOutsideTheLifetime() {
        assertThatThrownBy(() -> new RenewalSchedule(0.9, 0.7, () -> 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RenewalSchedule(0.5, 1.0, () -> 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

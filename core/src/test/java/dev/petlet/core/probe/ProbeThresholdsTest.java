package dev.petlet.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeThresholdsTest {
    @Test
    void aResultChangesOnlyAfterEnoughConsecutiveOutcomes() {
        ProbeThresholds liveness = new ProbeThresholds(1, 3, true);
        assertThat(liveness.record(false)).isFalse();
        assertThat(liveness.record(false)).isFalse();
        assertThat(liveness.record(true)).isFalse();
        assertThat(liveness.result()).isTrue();
        assertThat(liveness.record(false)).isFalse();
        assertThat(liveness.record(false)).isFalse();
        assertThat(liveness.record(false)).isTrue();
        assertThat(liveness.result()).isFalse();
    }

    @Test
    void readinessNeedsItsSuccessThresholdToBecomeReady() {
        ProbeThresholds readiness = new ProbeThresholds(2, 1, false);
        assertThat(readiness.record(true)).isFalse();
        assertThat(readiness.record(true)).isTrue();
        assertThat(readiness.result()).isTrue();
        assertThat(readiness.record(false)).isTrue();
        assertThat(readiness.result()).isFalse();
    }

    @Test
    void aStartupProbeIsUnknownUntilItSucceedsOrFailsEnough() {
        ProbeThresholds startup = new ProbeThresholds(1, 2, null);
        assertThat(startup.result()).isNull();
        assertThat(startup.record(false)).isFalse();
        assertThat(startup.result()).isNull();
        assertThat(startup.record(true)).isTrue();
        assertThat(startup.result()).isTrue();
    }
}

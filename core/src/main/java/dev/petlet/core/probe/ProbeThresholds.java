package dev.petlet.core.probe;

import java.util.Optional;

/**
 * The kubelet's successThreshold / failureThreshold bookkeeping for one probe of one container:
 * a result only changes after that many consecutive identical outcomes. Not thread-safe; one
 * probe worker owns it.
 */
final class ProbeThresholds {
    private final int successThreshold;
    private final int failureThreshold;
    private Boolean result;
    private Boolean lastOutcome;
    private int run;

    /** @param initial the result before any probe: null for unknown */
    ProbeThresholds(int successThreshold, int failureThreshold, Boolean initial) {
        this.successThreshold = Math.max(1, successThreshold);
        this.failureThreshold = Math.max(1, failureThreshold);
        this.result = initial;
    }

    static ProbeThresholds of(io.fabric8.kubernetes.api.model.Probe probe, Boolean initial) {
        return new ProbeThresholds(
                Optional.ofNullable(probe.getSuccessThreshold()).orElse(1),
                Optional.ofNullable(probe.getFailureThreshold()).orElse(3),
                initial);
    }

    /** Records one outcome; returns whether the result changed. */
    boolean record(boolean success) {
        if (lastOutcome != null && lastOutcome == success) {
            run++;
        } else {
            lastOutcome = success;
            run = 1;
        }
        if (run < (success ? successThreshold : failureThreshold)) {
            return false;
        }
        if (result != null && result == success) {
            return false;
        }
        result = success;
        return true;
    }

    /** The current result; null while unknown. */
    Boolean result() {
        return result;
    }
}

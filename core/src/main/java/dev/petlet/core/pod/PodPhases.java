package dev.petlet.core.pod;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;

/** Small facts about pods shared by the planner and the status computation. */
final class PodPhases {
    static final String PENDING = "Pending";
    static final String RUNNING = "Running";
    static final String SUCCEEDED = "Succeeded";
    static final String FAILED = "Failed";

    private PodPhases() {}

    /** A pod whose reported phase is Succeeded or Failed never runs again. */
    static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return SUCCEEDED.equals(phase) || FAILED.equals(phase);
    }

    /** A duration as Go prints it ({@code 10s}, {@code 1m20s}, {@code 5m0s}), as kubelet messages show it. */
    static String describe(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m" + (seconds % 60) + "s";
        }
        return (minutes / 60) + "h" + (minutes % 60) + "m" + (seconds % 60) + "s";
    }
}

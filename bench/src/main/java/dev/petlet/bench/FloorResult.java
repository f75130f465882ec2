package dev.petlet.bench;

import java.time.Duration;
import java.util.List;

/**
 * One round of pods started directly through Podman's API: the floor petlet is measured against.
 *
 * @param startup per pod: runPodSandbox called → startContainer returned
 * @param total the first runPodSandbox call → the last startContainer returned
 * @param removal removing them all, as many at a time as they were started
 */
record FloorResult(Durations startup, Duration total, Duration removal) {

    /** Several rounds of the same size as one: every pod's time, the median total and removal. */
    static FloorResult pooled(List<FloorResult> rounds) {
        if (rounds.size() == 1) {
            return rounds.get(0);
        }
        return new FloorResult(
                Durations.pooled(rounds.stream().map(FloorResult::startup).toList()),
                Durations.median(rounds.stream().map(FloorResult::total).toList()),
                Durations.median(rounds.stream().map(FloorResult::removal).toList()));
    }
}

package dev.petlet.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One line of the table: a number of pods started at once, through petlet and through Podman.
 *
 * @param pods how many pods each round started at once
 * @param runs how many rounds were pooled into this row
 * @param agentPeakRssKib petlet's peak resident memory since it started, read after the rounds
 * @param agentCpu petlet's CPU time per round, from the first create call until the pods were gone
 */
record ResultRow(int pods, int runs, PetletResult petlet, FloorResult floor, long agentPeakRssKib, Duration agentCpu) {
    ResultRow {
        requireNonNull(petlet, "petlet");
        requireNonNull(floor, "floor");
        requireNonNull(agentCpu, "agentCpu");
    }

    double totalRatio() {
        return seconds(petlet.total()) / seconds(floor.total());
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}

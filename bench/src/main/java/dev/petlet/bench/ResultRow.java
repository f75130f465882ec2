package dev.petlet.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * One line of the table: a number of pods started at once, through petlet and through Podman.
 *
 * @param pods how many pods each round started at once
 * @param runs how many rounds were pooled into this row
 * @param agentPeakRssKib petlet's peak resident memory since it started, read after the rounds
 * @param agentCpu petlet's CPU time per round, from the first create call until the pods were gone
 * @param libpodCallsPerPod the requests petlet sent to Podman per pod, from the first create call until the
 *     pods were gone (events and streams included; the floor sends 5: pod create and start, container create
 *     and start, pod removal)
 * @param petletCpu CPU time per round by process (see {@link CpuMeter}) during petlet's round
 * @param floorCpu CPU time per round by process during the floor's round
 * @param idleCpu CPU time by process while the round's pods all ran and nothing happened, over {@code idle}
 *     (not counted in {@code agentCpu} and {@code petletCpu}); empty if not measured
 * @param idle how long {@code idleCpu} was measured
 */
record ResultRow(
        int pods,
        int runs,
        PetletResult petlet,
        FloorResult floor,
        long agentPeakRssKib,
        Duration agentCpu,
        double libpodCallsPerPod,
        Map<String, Duration> petletCpu,
        Map<String, Duration> floorCpu,
        Map<String, Duration> idleCpu,
        Duration idle) {
    ResultRow {
        idleCpu = Map.copyOf(idleCpu);
        petletCpu = Map.copyOf(petletCpu);
        floorCpu = Map.copyOf(floorCpu);
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

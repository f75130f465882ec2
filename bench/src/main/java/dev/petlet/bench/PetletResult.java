package dev.petlet.bench;

import java.time.Duration;
import java.util.List;

/**
 * One round of pods started through the API and petlet.
 *
 * @param startup per pod: the API create call → the pod first seen with Ready=True by a watch
 * @param total the first create call → the last pod seen Ready
 * @param pickup per pod: the create call → Podman created its sandbox (API, watch, petlet's first pass)
 * @param runtime per pod: sandbox created → container started, as Podman records them
 * @param report per pod: container started → Ready seen (petlet's status pass, patch, watch)
 * @param deletion the delete call → the pods gone from the API and their objects from Podman
 */
record PetletResult(
        Durations startup, Duration total, Durations pickup, Durations runtime, Durations report, Duration deletion) {

    /** Several rounds of the same size as one: every pod's times, the median total and deletion. */
    static PetletResult pooled(List<PetletResult> rounds) {
        if (rounds.size() == 1) {
            return rounds.get(0);
        }
        return new PetletResult(
                Durations.pooled(rounds.stream().map(PetletResult::startup).toList()),
                Durations.median(rounds.stream().map(PetletResult::total).toList()),
                Durations.pooled(rounds.stream().map(PetletResult::pickup).toList()),
                Durations.pooled(rounds.stream().map(PetletResult::runtime).toList()),
                Durations.pooled(rounds.stream().map(PetletResult::report).toList()),
                Durations.median(rounds.stream().map(PetletResult::deletion).toList()));
    }
}

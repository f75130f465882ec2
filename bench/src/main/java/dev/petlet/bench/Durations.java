package dev.petlet.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Per-pod durations of one measurement, sorted, with the percentiles the table shows (nearest
 * rank, so p99 of 10 pods is the slowest).
 */
record Durations(List<Duration> sorted) {
    Durations {
        sorted =
                sorted.stream().map(d -> requireNonNull(d, "duration")).sorted().toList();
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a measurement needs at least one duration");
        }
    }

    static Durations of(Collection<Duration> durations) {
        return new Durations(List.copyOf(durations));
    }

    /** Every duration of several measurements, as one. */
    static Durations pooled(Collection<Durations> measurements) {
        List<Duration> all = new ArrayList<>();
        measurements.forEach(m -> all.addAll(m.sorted()));
        return new Durations(all);
    }

    /** The median of a few durations, such as the totals of repeated runs. */
    static Duration median(Collection<Duration> durations) {
        return of(durations).p50();
    }

    Duration p50() {
        return percentile(50);
    }

    Duration p99() {
        return percentile(99);
    }

    Duration max() {
        return sorted.get(sorted.size() - 1);
    }

    int count() {
        return sorted.size();
    }

    private Duration percentile(double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}

package dev.petlet.cli;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Gives the heap back after bursts. The serial collector that {@code bin/petlet} picks grows the old
 * generation when a burst of work promotes objects, and shrinks it (to {@code MaxHeapFreeRatio}) only
 * after a full collection, which an agent whose live objects fit never needs: over {@code
 * bench/pod-startup}'s rounds of 100 pods the committed heap grew from 43 to 94 MiB while live objects
 * stayed at ~25 MiB. So once a {@link #PERIOD}, when the committed heap has grown by {@link #GROWTH}
 * since the last collection asked for here, this asks for one ({@link System#gc}: a full collection of
 * a small heap, 50-150 ms, a few hundred while 100 pods start on 2 cores; two or three in a bench run).
 * Checked often, so the heap shrinks soon after a burst rather than at the next one; the young
 * generation is fixed ({@code -Xmn} in {@code bin/petlet}). The JDK does as much for G1 ({@code
 * G1PeriodicGCInterval}); the serial collector has nothing like it. A heap that stays large after a
 * collection (it holds that much) is the new baseline, so collections are asked for only as it grows
 * further.
 */
final class HeapTrimmer {
    static final Duration PERIOD = Duration.ofSeconds(10);
    static final long GROWTH = 8L << 20;

    private final LongSupplier committed;
    private final Runnable collect;
    private long baseline;

    HeapTrimmer(LongSupplier committed, Runnable collect) {
        this.committed = requireNonNull(committed, "committed");
        this.collect = requireNonNull(collect, "collect");
        this.baseline = committed.getAsLong();
    }

    /** Checks the heap once a {@link #PERIOD}, on a daemon thread, for as long as the process runs. */
    static void start() {
        HeapTrimmer trimmer = new HeapTrimmer(
                () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(), System::gc);
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                        .name("petlet-heap-trimmer")
                        .daemon(true)
                        .factory())
                .scheduleWithFixedDelay(trimmer::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Collects when the heap has grown by {@link #GROWTH} since the last collection; says whether it did. */
    boolean check() {
        if (committed.getAsLong() - baseline < GROWTH) {
            return false;
        }
        collect.run();
        baseline = committed.getAsLong();
        return true;
    }
}

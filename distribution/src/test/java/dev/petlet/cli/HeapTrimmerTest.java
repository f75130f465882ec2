package dev.petlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeapTrimmerTest {
    private static final long MIB = 1L << 20;

    private final AtomicLong committed = new AtomicLong(40 * MIB);
    private final AtomicInteger collections = new AtomicInteger();
    /** What a collection leaves committed. */
    private final AtomicLong afterCollection = new AtomicLong(36 * MIB);

    private final HeapTrimmer trimmer = new HeapTrimmer(committed::get, () -> {
        collections.incrementAndGet();
        committed.set(afterCollection.get());
    });

    @Test
    void collectsOnlyOnceTheHeapHasGrownEnough() {
        committed.set(40 * MIB + HeapTrimmer.GROWTH - 1);
        assertThat(trimmer.check()).isFalse();
        assertThat(collections).hasValue(0);

        committed.set(40 * MIB + HeapTrimmer.GROWTH);
        assertThat(trimmer.check()).isTrue();
        assertThat(collections).hasValue(1);
        assertThat(committed).hasValue(36 * MIB);
    }

    @Test
    void measuresGrowthFromWhatTheLastCollectionLeft() {
        committed.set(80 * MIB);
        assertThat(trimmer.check()).isTrue(); // leaves 36 MiB

        committed.set(36 * MIB + HeapTrimmer.GROWTH - 1);
        assertThat(trimmer.check()).isFalse();
        committed.set(36 * MIB + HeapTrimmer.GROWTH);
        assertThat(trimmer.check()).isTrue();
        assertThat(collections).hasValue(2);
    }

    @Test
    void aHeapThatStaysLargeIsNotCollectedAgainUntilItGrowsFurther() {
        afterCollection.set(90 * MIB); // it holds that much
        committed.set(90 * MIB);
        assertThat(trimmer.check()).isTrue();

        assertThat(trimmer.check()).isFalse();
        assertThat(trimmer.check()).isFalse();
        committed.set(90 * MIB + HeapTrimmer.GROWTH);
        assertThat(trimmer.check()).isTrue();
        assertThat(collections).hasValue(2);
    }
}

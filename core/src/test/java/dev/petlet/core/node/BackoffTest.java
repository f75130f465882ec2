package dev.petlet.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFrom200MillisecondsToSevenSecondsLikeTheKubeletLease() {
        Backoff backoff = Backoff.forApiRequests();

        assertThat(Stream.generate(backoff::next).limit(8))
                .containsExactly(
                        Duration.ofMillis(200),
                        Duration.ofMillis(400),
                        Duration.ofMillis(800),
                        Duration.ofMillis(1600),
                        Duration.ofMillis(3200),
                        Duration.ofMillis(6400),
                        Duration.ofSeconds(7),
                        Duration.ofSeconds(7));
    }

    @Test
    void startsOverAfterReset() {
        Backoff backoff = Backoff.forApiRequests();
        backoff.next();
        backoff.next();

        backoff.reset();

        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
    }
}

package dev.petlet.core.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenRotationTest {
    private static final Instant ISSUED = Instant.parse("2026-11-21T10:00:00Z");

    private static TokenSource.IssuedToken token(long lifetimeSeconds) {
        return new TokenSource.IssuedToken("t", ISSUED.plusSeconds(lifetimeSeconds), lifetimeSeconds);
    }

    @Test
    void refreshesOnceEightyPercentOfTheLifetimeHasPassed() {
        TokenSource.IssuedToken tenMinutes = token(600);
        assertThat(TokenRotation.requiresRefresh(tenMinutes, ISSUED.plusSeconds(479), Duration.ZERO))
                .isFalse();
        assertThat(TokenRotation.requiresRefresh(tenMinutes, ISSUED.plusSeconds(481), Duration.ZERO))
                .isTrue();
        // the jitter brings it forward, never later
        assertThat(TokenRotation.requiresRefresh(tenMinutes, ISSUED.plusSeconds(475), Duration.ofSeconds(10)))
                .isTrue();
    }

    @Test
    void refreshesLongLivedTokensAfterADay() {
        TokenSource.IssuedToken year = token(Duration.ofDays(365).toSeconds());
        assertThat(TokenRotation.requiresRefresh(year, ISSUED.plus(Duration.ofHours(23)), Duration.ZERO))
                .isFalse();
        assertThat(TokenRotation.requiresRefresh(
                        year, ISSUED.plus(Duration.ofHours(24)).plusSeconds(1), Duration.ZERO))
                .isTrue();
    }
}

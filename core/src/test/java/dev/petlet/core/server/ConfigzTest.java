package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConfigzTest {
    @Test
    void durationsAsGoPrintsThem() {
        assertThat(Configz.goDuration(Duration.ofHours(4))).isEqualTo("4h0m0s");
        assertThat(Configz.goDuration(Duration.ofMinutes(2))).isEqualTo("2m0s");
        assertThat(Configz.goDuration(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Configz.goDuration(Duration.ofSeconds(3725))).isEqualTo("1h2m5s");
    }

    @Test
    void logTimestampsAreRfc3339NanoWithoutTrailingZeros() {
        assertThat(LogTimestamps.format(Instant.parse("2025-01-02T03:04:05Z"))).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(LogTimestamps.format(Instant.parse("2025-01-02T03:04:05.120Z")))
                .isEqualTo("2025-01-02T03:04:05.12Z");
        assertThat(LogTimestamps.format(Instant.parse("2025-01-02T03:04:05.000000001Z")))
                .isEqualTo("2025-01-02T03:04:05.000000001Z");
    }
}

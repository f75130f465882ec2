package dev.petlet.provider.podman;

import static dev.petlet.provider.podman.MultiplexedStreamReaderTest.concat;
import static dev.petlet.provider.podman.MultiplexedStreamReaderTest.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.runtime.LogFrame;
import dev.petlet.spi.runtime.StreamType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogDeliveryTest {
    private final List<LogFrame> delivered = new ArrayList<>();

    @Test
    void deliversEveryLineWithItsStream() throws IOException {
        byte[] body = concat(frame(1, "out\n"), frame(2, "err\n"));

        LogDelivery.deliver(new ByteArrayInputStream(body), false, Long.MAX_VALUE, delivered::add, () -> false);

        assertThat(delivered).extracting(LogFrame::stream).containsExactly(StreamType.STDOUT, StreamType.STDERR);
        assertThat(delivered).extracting(LogFrame::timestamp).containsOnlyNulls();
        assertThat(texts()).containsExactly("out\n", "err\n");
    }

    @Test
    void timestampPrefixBecomesTheFrameTimestamp() throws IOException {
        byte[] body = frame(1, "2026-11-21T08:17:57Z out\n");

        LogDelivery.deliver(new ByteArrayInputStream(body), true, Long.MAX_VALUE, delivered::add, () -> false);

        assertThat(delivered.getFirst().timestamp()).isEqualTo(Instant.parse("2026-11-21T08:17:57Z"));
        assertThat(texts()).containsExactly("out\n");
    }

    @Test
    void fractionalAndOffsetTimestampsAreUnderstood() {
        LogFrame frame = LogLines.toFrame(
                StreamType.STDERR, "2026-11-21T09:17:57.123456789+01:00 x".getBytes(StandardCharsets.UTF_8), true);

        assertThat(frame.timestamp()).isEqualTo(Instant.parse("2026-11-21T08:17:57.123456789Z"));
        assertThat(new String(frame.data(), StandardCharsets.UTF_8)).isEqualTo("x");
    }

    @Test
    void lineWithoutTimestampIsDeliveredUnchanged() {
        LogFrame frame = LogLines.toFrame(StreamType.STDOUT, "no time here\n".getBytes(StandardCharsets.UTF_8), true);

        assertThat(frame.timestamp()).isNull();
        assertThat(new String(frame.data(), StandardCharsets.UTF_8)).isEqualTo("no time here\n");
    }

    @Test
    void stopsAtTheByteLimitCuttingTheLastLine() throws IOException {
        byte[] body = concat(frame(1, "12345\n"), frame(1, "67890\n"), frame(1, "never\n"));

        LogDelivery.deliver(new ByteArrayInputStream(body), false, 9, delivered::add, () -> false);

        assertThat(texts()).containsExactly("12345\n", "678");
    }

    @Test
    void stopsWhenClosed() throws IOException {
        byte[] body = concat(frame(1, "a\n"), frame(1, "b\n"));

        LogDelivery.deliver(
                new ByteArrayInputStream(body), false, Long.MAX_VALUE, delivered::add, () -> !delivered.isEmpty());

        assertThat(texts()).containsExactly("a\n");
    }

    @Test
    void sinkFailuresAreMarkedAsTheSinks() {
        byte[] body = frame(1, "a\n");

        assertThatThrownBy(() -> LogDelivery.deliver(
                        new ByteArrayInputStream(body),
                        false,
                        Long.MAX_VALUE,
                        frame -> {
                            throw new IOException("client went away");
                        },
                        () -> false))
                .isInstanceOf(ExchangeSubscription.SinkException.class)
                .hasRootCauseMessage("client went away");
    }

    private List<String> texts() {
        return delivered.stream()
                .map(frame -> new String(frame.data(), StandardCharsets.UTF_8))
                .toList();
    }
}

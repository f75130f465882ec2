package dev.petlet.provider.podman;

import dev.petlet.spi.runtime.LogFrame;
import dev.petlet.spi.runtime.StreamType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Turns the payload of one log frame into a {@link LogFrame}. With {@code timestamps=true} Podman 4.3 prefixes
 * every line with its time in RFC 3339 (whole seconds) and a space; that prefix becomes {@link
 * LogFrame#timestamp()} and is cut from the data.
 */
final class LogLines {
    private LogLines() {}

    static LogFrame toFrame(StreamType stream, byte[] payload, boolean timestamps) {
        if (!timestamps) {
            return new LogFrame(stream, null, payload);
        }
        int space = indexOf(payload, (byte) ' ', 64);
        if (space > 0) {
            String prefix = new String(payload, 0, space, StandardCharsets.US_ASCII);
            try {
                Instant time = OffsetDateTime.parse(prefix, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
                return new LogFrame(stream, time, Arrays.copyOfRange(payload, space + 1, payload.length));
            } catch (DateTimeParseException notATimestamp) {
                // Deliver the line unchanged rather than lose it.
            }
        }
        return new LogFrame(stream, null, payload);
    }

    private static int indexOf(byte[] bytes, byte wanted, int limit) {
        for (int i = 0; i < Math.min(bytes.length, limit); i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}

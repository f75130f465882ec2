package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One piece of a container's log, normally one line including its trailing newline.
 *
 * @param stream the stream it was written to
 * @param timestamp nullable: when it was written, set only when {@link LogOptions#timestamps()} was asked
 *     for; a runtime may have less than nanosecond precision
 * @param data the bytes, owned by the receiver from now on
 */
public record LogFrame(StreamType stream, Instant timestamp, byte[] data) {
    public LogFrame {
        requireNonNull(stream, "stream");
        requireNonNull(data, "data");
    }
}

package dev.petlet.provider.podman;

import dev.petlet.spi.runtime.LogFrame;
import dev.petlet.spi.runtime.LogSink;
import dev.petlet.spi.runtime.StreamType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Delivers a libpod log body (multiplexed, one frame per line) to a {@link LogSink}, stopping after a byte
 * limit, which Podman does not implement: the frame that crosses it is cut.
 */
final class LogDelivery {
    private LogDelivery() {}

    static void deliver(InputStream body, boolean timestamps, long limitBytes, LogSink sink, BooleanSupplier closed)
            throws IOException {
        MultiplexedStreamReader reader = new MultiplexedStreamReader(body);
        long remaining = limitBytes;
        MultiplexedStreamReader.Frame raw;
        while (remaining > 0 && !closed.getAsBoolean() && (raw = reader.next()) != null) {
            StreamType stream = raw.streamType();
            if (stream == null) {
                continue;
            }
            LogFrame frame = LogLines.toFrame(stream, raw.payload(), timestamps);
            if (frame.data().length > remaining) {
                frame = new LogFrame(frame.stream(), frame.timestamp(), Arrays.copyOf(frame.data(), (int) remaining));
            }
            remaining -= frame.data().length;
            try {
                sink.accept(frame);
            } catch (IOException | RuntimeException e) {
                throw new ExchangeSubscription.SinkException(e);
            }
        }
    }
}

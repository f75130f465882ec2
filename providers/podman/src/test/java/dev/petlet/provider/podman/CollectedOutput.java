package dev.petlet.provider.podman;

import dev.petlet.spi.runtime.LogFrame;
import dev.petlet.spi.runtime.LogSink;
import dev.petlet.spi.runtime.OutputSink;
import dev.petlet.spi.runtime.StreamType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A thread-safe sink for exec, attach and log output, for tests. */
final class CollectedOutput implements OutputSink, LogSink {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final List<LogFrame> frames = new ArrayList<>();

    @Override
    public synchronized void accept(StreamType stream, byte[] data) {
        (stream == StreamType.STDOUT ? stdout : stderr).writeBytes(data);
    }

    @Override
    public synchronized void accept(LogFrame frame) {
        frames.add(frame);
        accept(frame.stream(), frame.data());
    }

    synchronized String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    synchronized List<LogFrame> frames() {
        return List.copyOf(frames);
    }
}

package dev.petlet.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.LogFrame;
import dev.petlet.spi.runtime.LogOptions;
import dev.petlet.spi.runtime.StreamType;
import dev.petlet.spi.runtime.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Logs: what a container wrote, by stream, delivered to completion; errors for missing containers. */
public abstract class LogsConformance extends RuntimeConformance {
    private List<LogFrame> read(String containerId, LogOptions options) throws Exception {
        List<LogFrame> frames = new CopyOnWriteArrayList<>();
        try (Subscription subscription = runtime.logs(containerId, options, frames::add)) {
            subscription.completion().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        return frames;
    }

    private static String text(List<LogFrame> frames, StreamType stream) {
        StringBuilder text = new StringBuilder();
        frames.stream()
                .filter(frame -> frame.stream() == stream)
                .forEach(frame -> text.append(new String(frame.data(), StandardCharsets.UTF_8)));
        return text.toString();
    }

    @Test
    void theLogHoldsWhatTheContainerWrote() throws Exception {
        Created created = startContainer("logs", workloads().printsThenExits("hello", 0));
        awaitState(created.containerId(), ContainerState.EXITED);

        List<LogFrame> frames = read(created.containerId(), LogOptions.ALL);

        assertThat(text(frames, StreamType.STDOUT)).isEqualTo("hello\n");
    }

    @Test
    void standardErrorIsKeptApart() throws Exception {
        Created created = startContainer("stderr", workloads().printsToStandardErrorThenExits("oops", 1));
        awaitState(created.containerId(), ContainerState.EXITED);

        List<LogFrame> frames = read(created.containerId(), LogOptions.ALL);

        assertThat(text(frames, StreamType.STDERR)).isEqualTo("oops\n");
        assertThat(text(frames, StreamType.STDOUT)).isEmpty();
        assertThat(text(read(created.containerId(), LogOptions.ALL.withStreams(true, false)), StreamType.STDERR))
                .isEmpty();
    }

    @Test
    void followingEndsWhenTheContainerExits() throws Exception {
        Created created = startContainer("follow", workloads().printsThenExits("followed", 0));

        List<LogFrame> frames = read(created.containerId(), LogOptions.ALL.withFollow(true));

        assertThat(text(frames, StreamType.STDOUT)).isEqualTo("followed\n");
    }

    @Test
    void logsOfAMissingContainerAreNotFound() {
        assertFailsWith(
                ErrorCode.NOT_FOUND, () -> runtime.logs("no-such-container-" + run, LogOptions.ALL, frame -> {}));
    }
}

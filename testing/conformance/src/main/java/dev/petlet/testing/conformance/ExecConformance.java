package dev.petlet.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.OutputSink;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.StreamType;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Exec: output by stream, exit codes, standard input until end-of-file, and errors for missing containers. */
public abstract class ExecConformance extends RuntimeConformance {
    /** Collects a session's output per stream. */
    protected static final class CollectedOutput implements OutputSink {
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        @Override
        public synchronized void accept(StreamType stream, byte[] data) {
            (stream == StreamType.STDERR ? stderr : stdout).writeBytes(data);
        }

        public synchronized String stdout() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        public synchronized String stderr() {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    private static int exitCode(StreamSession session) throws Exception {
        return session.exitCode().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void outputArrivesOnItsStreamWithTheExitCode() throws Exception {
        Created created = startContainer("exec", workloads().runsUntilStopped());
        CollectedOutput output = new CollectedOutput();

        try (StreamSession session = runtime.exec(
                created.containerId(),
                new ExecRequest(workloads().printsThenExits("out", 0), false, false, true, true, null),
                output)) {
            assertThat(exitCode(session)).isZero();
        }
        CollectedOutput errors = new CollectedOutput();
        try (StreamSession session = runtime.exec(
                created.containerId(),
                new ExecRequest(workloads().printsToStandardErrorThenExits("err", 5), false, false, true, true, null),
                errors)) {
            assertThat(exitCode(session)).isEqualTo(5);
        }

        assertThat(output.stdout()).isEqualTo("out\n");
        assertThat(errors.stderr()).isEqualTo("err\n");
        assertThat(errors.stdout()).isEmpty();
    }

    @Test
    void standardInputIsReadUntilItCloses() throws Exception {
        Created created = startContainer("stdin", workloads().runsUntilStopped());
        CollectedOutput output = new CollectedOutput();

        try (StreamSession session = runtime.exec(
                created.containerId(),
                new ExecRequest(workloads().copiesStandardInput(), false, true, true, true, null),
                output)) {
            try (OutputStream stdin = session.stdin()) {
                stdin.write("ping\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(exitCode(session)).isZero();
        }

        assertThat(output.stdout()).isEqualTo("ping\n");
    }

    @Test
    void execInAMissingContainerIsNotFound() {
        assertFailsWith(
                ErrorCode.NOT_FOUND,
                () -> runtime.exec(
                        "no-such-container-" + run,
                        ExecRequest.of(List.of("true").toArray(String[]::new)),
                        new CollectedOutput()));
    }
}

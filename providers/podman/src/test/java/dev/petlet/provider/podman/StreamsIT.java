package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.runtime.AttachRequest;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.LogFrame;
import dev.petlet.spi.runtime.LogOptions;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.StreamType;
import dev.petlet.spi.runtime.Subscription;
import dev.petlet.spi.runtime.TerminalSize;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamsIT extends PodmanTestBase {

    @Test
    void logsOfAnExitedContainer() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String id = startInNewSandbox(
                sandbox("logs").build(),
                shell("logs", "echo one; echo two >&2; echo three").build());
        awaitState(id, ContainerState.EXITED);

        CollectedOutput all = readLogs(id, LogOptions.ALL.withTimestamps(true));
        CollectedOutput tail = readLogs(id, LogOptions.ALL.withTailLines(1));
        CollectedOutput limited = readLogs(id, LogOptions.ALL.withLimitBytes(6L));
        CollectedOutput stderrOnly = readLogs(id, LogOptions.ALL.withStreams(false, true));

        assertThat(all.stdout()).isEqualTo("one\nthree\n");
        assertThat(all.stderr()).isEqualTo("two\n");
        // Output and error reach the log through separate pipes: their relative order is not kept.
        assertThat(all.frames())
                .extracting(LogFrame::stream)
                .containsExactlyInAnyOrder(StreamType.STDOUT, StreamType.STDERR, StreamType.STDOUT);
        assertThat(all.frames())
                .extracting(LogFrame::timestamp)
                .allSatisfy(time -> assertThat(time).isAfterOrEqualTo(before));
        assertThat(tail.frames()).hasSize(1);
        assertThat(limited.frames().stream()
                        .mapToInt(frame -> frame.data().length)
                        .sum())
                .isEqualTo(6);
        assertThat(stderrOnly.stdout()).isEmpty();
        assertThat(stderrOnly.stderr()).isEqualTo("two\n");
    }

    @Test
    void followingLogsReceivesNewLinesUntilClosed() throws Exception {
        String id = startInNewSandbox(
                sandbox("follow").build(),
                shell("ticker", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done")
                        .build());
        CollectedOutput output = new CollectedOutput();

        Subscription subscription = runtime.logs(id, LogOptions.ALL.withFollow(true), output);
        try {
            Polling.until(
                    WAIT,
                    "five ticks through the followed log",
                    () -> output.stdout().contains("tick 5\n"));
            assertThat(output.stdout()).startsWith("tick 0\ntick 1\n");
        } finally {
            subscription.close();
        }

        subscription.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void followingEndsWhenTheContainerExits() throws Exception {
        String id = startInNewSandbox(
                sandbox("short").build(),
                shell("short", "echo start; sleep 1; echo end").build());
        CollectedOutput output = new CollectedOutput();

        try (Subscription subscription = runtime.logs(id, LogOptions.ALL.withFollow(true), output)) {
            subscription.completion().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }

        assertThat(output.stdout()).isEqualTo("start\nend\n");
    }

    @Test
    void logsOfAMissingContainerAreNotFound() {
        assertThat(codeOf(() -> runtime.logs("0123456789ab", LogOptions.ALL, new CollectedOutput())))
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void execSeparatesStdoutFromStderrAndReportsTheExitCode() throws Exception {
        String id = startInNewSandbox(
                sandbox("exec").build(), shell("main", "sleep 300").build());
        CollectedOutput output = new CollectedOutput();

        try (StreamSession session =
                runtime.exec(id, ExecRequest.of("sh", "-c", "echo to-out; echo to-err >&2; exit 7"), output)) {
            assertThat(session.exitCode().toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isEqualTo(7);
        }

        assertThat(output.stdout()).isEqualTo("to-out\n");
        assertThat(output.stderr()).isEqualTo("to-err\n");
    }

    @Test
    void execPipesOneMebibyteThroughStandardInput() throws Exception {
        String id = startInNewSandbox(
                sandbox("stdin").build(), shell("main", "sleep 300").build());
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        CollectedOutput output = new CollectedOutput();

        try (StreamSession session =
                runtime.exec(id, new ExecRequest(List.of("sha256sum"), false, true, true, true, null), output)) {
            try (OutputStream stdin = session.stdin()) {
                for (int offset = 0; offset < data.length; offset += 8192) {
                    stdin.write(data, offset, 8192);
                }
            }
            assertThat(session.exitCode().toCompletableFuture().get(60, TimeUnit.SECONDS))
                    .isZero();
        }

        assertThat(output.stdout()).isEqualTo(expected + "  -\n");
        assertThat(output.stderr()).isEmpty();
    }

    @Test
    void terminalExecFollowsResizes() throws Exception {
        String id = startInNewSandbox(
                sandbox("tty").build(), shell("main", "sleep 300").build());
        CollectedOutput output = new CollectedOutput();

        try (StreamSession session = runtime.exec(
                id, new ExecRequest(List.of("sh"), true, true, true, true, new TerminalSize(100, 30)), output)) {
            session.stdin().write("stty size\n".getBytes(StandardCharsets.UTF_8));
            Polling.until(WAIT, "the first terminal size", () -> output.stdout().contains("30 100"));

            session.resize(new TerminalSize(120, 40));
            session.stdin().write("stty size; exit 5\n".getBytes(StandardCharsets.UTF_8));

            assertThat(session.exitCode().toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isEqualTo(5);
        }
        assertThat(output.stdout()).contains("40 120");
        assertThat(output.stderr()).as("a terminal has one stream").isEmpty();
    }

    @Test
    void execInAStoppedContainerIsInvalid() throws Exception {
        String id = startInNewSandbox(
                sandbox("stopped").build(), shell("main", "exit 0").build());
        awaitState(id, ContainerState.EXITED);

        assertThat(codeOf(() -> runtime.exec(id, ExecRequest.of("true"), new CollectedOutput())))
                .isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void closingAnExecSessionCancelsItsExitCode() throws Exception {
        String id = startInNewSandbox(
                sandbox("detach").build(), shell("main", "sleep 300").build());

        StreamSession session = runtime.exec(id, ExecRequest.of("sleep", "100"), new CollectedOutput());
        session.close();
        session.close();

        assertThat(session.exitCode().toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void attachConnectsToTheMainProcess() throws Exception {
        String id = startInNewSandbox(
                sandbox("attach").build(),
                shell("main", "read line; echo got:$line; echo bye >&2; exit 4")
                        .stdin(true)
                        .build());
        CollectedOutput output = new CollectedOutput();

        try (StreamSession session = runtime.attach(id, new AttachRequest(true, true, true), output)) {
            session.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
            session.stdin().flush();

            assertThat(session.exitCode().toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isEqualTo(4);
        }
        assertThat(output.stdout()).isEqualTo("got:hello\n");
        assertThat(output.stderr()).isEqualTo("bye\n");
    }

    /** Without stdinOnce the container's stdin outlives an attach session, even one that ended its input. */
    @Test
    void withoutStdinOnceStdinStaysOpenBetweenAttachSessions() throws Exception {
        String id = startInNewSandbox(
                sandbox("reattach").build(),
                shell("main", "while read l; do echo got:$l; done; echo closed")
                        .stdin(true)
                        .build());
        CollectedOutput first = new CollectedOutput();
        try (StreamSession session = runtime.attach(id, new AttachRequest(true, true, true), first)) {
            session.stdin().write("one\n".getBytes(StandardCharsets.UTF_8));
            session.stdin().close();
            Polling.until(
                    WAIT,
                    "the answer to the first session",
                    () -> first.stdout().equals("got:one\n"));
        }
        CollectedOutput second = new CollectedOutput();
        try (StreamSession session = runtime.attach(id, new AttachRequest(true, true, true), second)) {
            session.stdin().write("two\n".getBytes(StandardCharsets.UTF_8));
            Polling.until(
                    WAIT,
                    "the answer to the second session",
                    () -> second.stdout().equals("got:two\n"));
        }
        assertThat(first.stdout()).isEqualTo("got:one\n");
        assertThat(runtime.containerStatus(id).state()).isEqualTo(ContainerState.RUNNING);
    }

    /** With stdinOnce the end of the first session's input is the end of the container's. */
    @Test
    void withStdinOnceTheFirstSessionClosesStdin() throws Exception {
        String id = startInNewSandbox(
                sandbox("once").build(),
                shell("main", "while read l; do echo got:$l; done; echo closed")
                        .stdin(true)
                        .stdinOnce(true)
                        .build());
        CollectedOutput output = new CollectedOutput();
        try (StreamSession session = runtime.attach(id, new AttachRequest(true, true, true), output)) {
            session.stdin().write("one\n".getBytes(StandardCharsets.UTF_8));
            session.stdin().close();
            assertThat(session.exitCode().toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isZero();
        }
        assertThat(output.stdout()).isEqualTo("got:one\nclosed\n");
    }

    private CollectedOutput readLogs(String id, LogOptions options) throws Exception {
        CollectedOutput output = new CollectedOutput();
        try (Subscription subscription = runtime.logs(id, options, output)) {
            CompletableFuture<Void> done = subscription.completion().toCompletableFuture();
            done.get(30, TimeUnit.SECONDS);
        }
        return output;
    }
}

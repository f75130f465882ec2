package dev.petlet.e2e.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl exec}, {@code cp} and {@code attach}: kubectl speaks WebSocket v5 to kube-apiserver, which
 * speaks SPDY to petlet's {@code /exec} and {@code /attach}.
 */
@SandboxE2E
class ExecE2E {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(3);
    private static final long HUNDRED_MIB = 100L << 20;

    private static StreamNamespace namespace;

    @TempDir
    Path files;

    @BeforeAll
    static void createPods(TestCluster cluster) {
        namespace = StreamNamespace.create(cluster, "e2e-exec");
        namespace.apply(BusyboxPod.pod("shell", "Always", "exec sleep 3600").build());
        // Its main process reads stdin and answers each line; stdin stays open between attaches.
        namespace.apply(BusyboxPod.pod("echo", "Always", "while read l; do echo got $l; done")
                .editSpec()
                .editFirstContainer()
                .withStdin(true)
                .endContainer()
                .endSpec()
                .build());
        namespace.apply(BusyboxPod.pod("reattach", "Always", "while read l; do echo got $l; done")
                .editSpec()
                .editFirstContainer()
                .withStdin(true)
                .endContainer()
                .endSpec()
                .build());
        namespace.apply(BusyboxPod.pod("once", "Never", "while read l; do echo got $l; done; echo stdin closed")
                .editSpec()
                .editFirstContainer()
                .withStdin(true)
                .withStdinOnce(true)
                .endContainer()
                .endSpec()
                .build());
        for (String pod : new String[] {"shell", "echo", "reattach", "once"}) {
            namespace.awaitReady(pod);
        }
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void separatesStdoutFromStderr() {
        CommandResult result = namespace.kubectl("exec", "shell", "--", "sh", "-c", "echo out; echo err >&2");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(namespace.kubectlOk("exec", "shell", "-c", BusyboxPod.CONTAINER, "--", "hostname"))
                .isEqualTo("shell\n");
    }

    @Test
    void kubectlExitsWithTheCommandsExitCode() {
        CommandResult result = namespace.kubectl("exec", "shell", "--", "sh", "-c", "echo partial; exit 3");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("partial\n");
        assertThat(result.stderr()).contains("command terminated with exit code 3");
    }

    @Test
    void aCommandThatDoesNotExistFails() {
        CommandResult result = namespace.kubectl("exec", "shell", "--", "/no/such/command");
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr()).contains("/no/such/command");
    }

    @Test
    void anUnknownContainerIsAnErrorNamingIt() {
        CommandResult result = namespace.kubectl("exec", "shell", "-c", "nope", "--", "true");
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr()).contains("nope");
    }

    @Test
    void hundredMibOfStdinArriveIntact() {
        Path input = Checksums.randomFile(files.resolve("input"), HUNDRED_MIB);
        CommandResult result = LocalCommand.run(
                TRANSFER_TIMEOUT,
                Optional.of(input),
                namespace.kubectlCommand("exec", "-i", "shell", "--", "sh", "-c", "tee /tmp/input | sha256sum"));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Checksums.fromSha256sum(result.stdout())).isEqualTo(Checksums.sha256(input));
        assertThat(namespace.kubectlOk("exec", "shell", "--", "wc", "-c", "/tmp/input"))
                .isEqualTo(HUNDRED_MIB + " /tmp/input\n");
    }

    @Test
    void anInteractiveShellInATerminalFollowsResizes() {
        try (TmuxTerminal terminal =
                TmuxTerminal.start(120, 40, namespace.kubectlCommand("exec", "-it", "shell", "--", "sh"))) {
            terminal.awaitScreen(TIMEOUT, "/ #");
            terminal.typeLine("echo $((6 * 7))");
            assertThat(terminal.awaitScreen(TIMEOUT, "\n42\n")).contains("echo $((6 * 7))");
            terminal.typeLine("tty");
            terminal.awaitScreen(TIMEOUT, "/dev/pts/");
            terminal.typeLine("stty size");
            terminal.awaitScreen(TIMEOUT, "40 120");

            // The new size travels kubectl → kube-apiserver → petlet → Podman while the shell reads on: ask
            // again until it has arrived.
            terminal.resize(100, 30);
            long[] lastAsked = {0};
            Poll.untilTrue(TIMEOUT, "the shell to see the new size 30 100", () -> {
                if (terminal.screen().contains("30 100")) {
                    return true;
                }
                if (System.nanoTime() - lastAsked[0] > Duration.ofSeconds(1).toNanos()) {
                    terminal.typeLine("stty size");
                    lastAsked[0] = System.nanoTime();
                }
                return false;
            });

            terminal.typeLine("exit 7");
            assertThat(terminal.awaitScreen(TIMEOUT, "exit=")).contains("exit=7");
        }
    }

    /**
     * The command starts with the size of the client's terminal: petlet waits for the first resize message
     * before it starts the process. {@code stty size} reads the size as its first act, so a process started
     * before the size arrived would print another one; a few runs, as the race is one of timing.
     */
    @Test
    void anInteractiveCommandStartsWithTheTerminalSizeOfTheClient() {
        for (int run = 0; run < 3; run++) {
            int columns = 91 + run;
            try (TmuxTerminal terminal = TmuxTerminal.start(
                    columns, 33, namespace.kubectlCommand("exec", "-it", "shell", "--", "stty", "size"))) {
                String screen = terminal.awaitScreen(TIMEOUT, "exit=");
                assertThat(screen).contains("exit=0").contains("33 " + columns);
            }
        }
    }

    @Test
    void copiesAFileIntoThePodAndBackOut() throws Exception {
        Path original = Checksums.randomFile(files.resolve("original"), 5L << 20);
        namespace.kubectlOk("cp", original.toString(), "shell:/tmp/copied");
        assertThat(Checksums.fromSha256sum(namespace.kubectlOk("exec", "shell", "--", "sha256sum", "/tmp/copied")))
                .isEqualTo(Checksums.sha256(original));

        Path back = files.resolve("back");
        namespace.kubectlOk("cp", "shell:/tmp/copied", back.toString());
        assertThat(Files.size(back)).isEqualTo(Files.size(original));
        assertThat(Checksums.sha256(back)).isEqualTo(Checksums.sha256(original));
    }

    @Test
    void attachSendsStdinToTheMainProcessAndShowsItsOutput() throws Exception {
        Path hello = Files.writeString(files.resolve("hello"), "hello\n");
        try (LocalCommand attach =
                LocalCommand.start(Optional.of(hello), namespace.kubectlCommand("attach", "-i", "echo"))) {
            attach.awaitStdoutContains(TIMEOUT, "got hello\n");
        }
    }

    /**
     * Without {@code stdinOnce} the container's stdin outlives an attach (the kubelet leaves it open; kubectl
     * says "resume using 'kubectl attach'"): a second attach is answered by the same process.
     */
    @Test
    void theContainersStdinStaysOpenBetweenAttaches() throws Exception {
        Path first = Files.writeString(files.resolve("first"), "first\n");
        try (LocalCommand attach =
                LocalCommand.start(Optional.of(first), namespace.kubectlCommand("attach", "-i", "reattach"))) {
            attach.awaitStdoutContains(TIMEOUT, "got first\n");
        }
        Path second = Files.writeString(files.resolve("second"), "second\n");
        try (LocalCommand attach =
                LocalCommand.start(Optional.of(second), namespace.kubectlCommand("attach", "-i", "reattach"))) {
            attach.awaitStdoutContains(TIMEOUT, "got second\n");
            assertThat(attach.stdout()).doesNotContain("got first");
        }
        assertThat(namespace.kubectlOk("logs", "reattach")).isEqualTo("got first\ngot second\n");
    }

    /** With {@code stdinOnce} the container's stdin closes when the first attach's ends, and kubectl returns. */
    @Test
    void stdinOnceClosesTheContainersStdinWhenTheAttachEnds() throws Exception {
        Path hello = Files.writeString(files.resolve("once"), "hello\n");
        CommandResult attach =
                LocalCommand.run(TIMEOUT, Optional.of(hello), namespace.kubectlCommand("attach", "-i", "once"));
        assertThat(attach.exitCode()).as(attach.toString()).isZero();
        assertThat(attach.stdout()).isEqualTo("got hello\nstdin closed\n");
        namespace.awaitPod(
                "once", "to succeed", pod -> "Succeeded".equals(pod.getStatus().getPhase()));
    }
}

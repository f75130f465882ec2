package dev.petlet.e2e.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code kubectl logs} and its options, through kube-apiserver to petlet's {@code /containerLogs}. */
@SandboxE2E
class LogsE2E {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** RFC 3339 with nanoseconds, trailing zeros dropped, as Go's {@code time.RFC3339Nano} writes it. */
    private static final Pattern TIMESTAMPED =
            Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z) (.*)");

    private static StreamNamespace namespace;

    @BeforeAll
    static void createPods(TestCluster cluster) {
        namespace = StreamNamespace.create(cluster, "e2e-logs");
        // Two lines on stdout, the third on stderr: the log interleaves both streams in order.
        namespace.apply(BusyboxPod.pod("three", "Always", "echo line 1; echo line 2; echo line 3 >&2; exec sleep 3600")
                .build());
        namespace.apply(BusyboxPod.pod(
                        "follow",
                        "Always",
                        "echo before; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo after; exec sleep 3600")
                .build());
        namespace.apply(BusyboxPod.pod("since", "Always", "echo early; sleep 3; echo late; exec sleep 3600")
                .build());
        // Exits after its first run, remembering it in an emptyDir that outlives the container.
        namespace.apply(BusyboxPod.pod(
                        "restarted",
                        "Always",
                        "if [ -e /data/ran ]; then echo second run; exec sleep 3600; fi;"
                                + " touch /data/ran; echo first run; exit 1")
                .editSpec()
                .addNewVolume()
                .withName("data")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .editFirstContainer()
                .addNewVolumeMount()
                .withName("data")
                .withMountPath("/data")
                .endVolumeMount()
                .endContainer()
                .endSpec()
                .build());
        // 20 000 lines of 100 bytes, then it exits.
        namespace.apply(BusyboxPod.pod("finished", "Never", "yes $(printf %099d 0) | head -n 20000")
                .build());
        namespace.apply(BusyboxPod.pod(
                        "burst",
                        "Never",
                        "echo ready; while [ ! -e /tmp/go ]; do sleep 0.1; done; yes $(printf %099d 0) | head -n 20000")
                .build());
        for (String pod : new String[] {"three", "follow", "since", "burst"}) {
            namespace.awaitReady(pod);
        }
        awaitLogs("three", "line 3\n");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    /** Polls {@code kubectl logs} until what it prints ends with the text; returns it. */
    private static String awaitLogs(String pod, String ending, String... options) {
        String[] arguments = new String[options.length + 2];
        arguments[0] = "logs";
        arguments[1] = pod;
        System.arraycopy(options, 0, arguments, 2, options.length);
        return Poll.until(TIMEOUT, "kubectl logs " + pod + " to end with " + ending.strip(), () -> {
            CommandResult result = namespace.kubectl(arguments);
            return result.exitCode() == 0 && result.stdout().endsWith(ending)
                    ? Optional.of(result.stdout())
                    : Optional.empty();
        });
    }

    @Test
    void printsWhatTheContainerWroteToStdoutAndStderr() {
        assertThat(namespace.kubectlOk("logs", "three")).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(namespace.kubectlOk("logs", "three", "-c", BusyboxPod.CONTAINER))
                .isEqualTo("line 1\nline 2\nline 3\n");
    }

    @Test
    void tailPrintsOnlyTheLastLines() {
        assertThat(namespace.kubectlOk("logs", "three", "--tail=2")).isEqualTo("line 2\nline 3\n");
        assertThat(namespace.kubectlOk("logs", "three", "--tail=0")).isEmpty();
        assertThat(namespace.kubectlOk("logs", "three", "--tail=10")).isEqualTo("line 1\nline 2\nline 3\n");
    }

    @Test
    void timestampsPrefixEachLineWithWhenItWasWritten() {
        Instant now = Instant.now();
        String[] lines = namespace.kubectlOk("logs", "three", "--timestamps").split("\n");
        assertThat(lines).hasSize(3);
        for (int i = 0; i < lines.length; i++) {
            Matcher matcher = TIMESTAMPED.matcher(lines[i]);
            assertThat(matcher.matches()).as(lines[i]).isTrue();
            assertThat(matcher.group(3)).isEqualTo("line " + (i + 1));
            assertThat(Instant.parse(matcher.group(1))).isBetween(now.minus(Duration.ofMinutes(5)), now);
        }
        // --timestamps with --tail: the timestamp belongs to the line kept.
        assertThat(namespace.kubectlOk("logs", "three", "--timestamps", "--tail=1"))
                .matches(TIMESTAMPED.pattern() + "\n")
                .endsWith(" line 3\n");
    }

    @Test
    void limitBytesCutsTheLogAfterThatManyBytes() {
        assertThat(namespace.kubectlOk("logs", "three", "--limit-bytes=5")).isEqualTo("line ");
    }

    @Test
    void followReceivesLinesWrittenAfterItStarted() {
        try (LocalCommand follow =
                LocalCommand.start(Optional.empty(), namespace.kubectlCommand("logs", "-f", "follow"))) {
            follow.awaitStdoutContains(TIMEOUT, "before\n");
            assertThat(follow.stdout()).isEqualTo("before\n");

            namespace.kubectlOk("exec", "follow", "--", "touch", "/tmp/go");
            follow.awaitStdoutContains(TIMEOUT, "after\n");
            assertThat(follow.stdout()).isEqualTo("before\nafter\n");
            assertThat(follow.isAlive()).as("kubectl logs -f still follows").isTrue();
        }
    }

    /** The kubelet follows a log to its end once the container has exited, then ends the response. */
    @Test
    void followOfAFinishedContainerPrintsItsWholeLogAndEnds() {
        namespace.awaitPod(
                "finished",
                "to succeed",
                pod -> "Succeeded".equals(pod.getStatus().getPhase()));
        String line = "0".repeat(99) + "\n";
        CommandResult all = LocalCommand.run(TIMEOUT, Optional.empty(), namespace.kubectlCommand("logs", "finished"));
        assertThat(all.stdout().length()).as(all.stderr()).isEqualTo(20_000 * line.length());

        CommandResult followed =
                LocalCommand.run(TIMEOUT, Optional.empty(), namespace.kubectlCommand("logs", "-f", "finished"));
        assertThat(followed.exitCode()).as(followed.stderr()).isZero();
        assertThat(followed.stdout().length())
                .as("bytes printed by kubectl logs -f")
                .isEqualTo(20_000 * line.length());
        assertThat(followed.stdout()).isEqualTo(all.stdout());
    }

    /** Following a container that writes a burst and exits: every line arrives, then kubectl returns. */
    @Test
    void followReceivesEverythingAContainerWroteBeforeItExited() {
        try (LocalCommand follow =
                LocalCommand.start(Optional.empty(), namespace.kubectlCommand("logs", "-f", "burst"))) {
            follow.awaitStdoutContains(TIMEOUT, "ready\n");
            namespace.kubectlOk("exec", "burst", "--", "touch", "/tmp/go");
            CommandResult followed = follow.awaitExit(TIMEOUT);
            assertThat(followed.exitCode()).as(followed.stderr()).isZero();
            assertThat(followed.stdout().length())
                    .as("bytes printed by kubectl logs -f")
                    .isEqualTo("ready\n".length() + 20_000 * 100);
        }
    }

    @Test
    void sinceTimeAndSinceLeaveOutOlderLines() {
        String timestamped = awaitLogs("since", " late\n", "--timestamps");
        Matcher early = TIMESTAMPED.matcher(timestamped.lines().findFirst().orElseThrow());
        assertThat(early.matches()).as(timestamped).isTrue();
        assertThat(early.group(3)).isEqualTo("early");
        // A whole second (kube-apiserver passes sinceTime on with second precision) between the two lines,
        // which were written three seconds apart.
        Instant between =
                Instant.parse(early.group(1)).truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);

        assertThat(namespace.kubectlOk("logs", "since", "--since-time=" + between))
                .isEqualTo("late\n");
        assertThat(namespace.kubectlOk("logs", "since", "--since-time=" + between.minusSeconds(60)))
                .isEqualTo("early\nlate\n");
        assertThat(namespace.kubectlOk("logs", "since", "--since=1h")).isEqualTo("early\nlate\n");
    }

    @Test
    void previousPrintsTheLogOfTheContainerBeforeTheRestart() {
        Pod restarted = namespace.awaitPod(
                "restarted",
                "to run again after one restart",
                pod -> pod.getStatus().getContainerStatuses() != null
                        && pod.getStatus().getContainerStatuses().stream()
                                .anyMatch(c ->
                                        c.getRestartCount() >= 1 && c.getState().getRunning() != null));
        assertThat(restarted.getStatus().getContainerStatuses().get(0).getRestartCount())
                .isEqualTo(1);
        awaitLogs("restarted", "second run\n");

        assertThat(namespace.kubectlOk("logs", "restarted")).isEqualTo("second run\n");
        assertThat(namespace.kubectlOk("logs", "restarted", "--previous")).isEqualTo("first run\n");
        assertThat(namespace.kubectlOk("logs", "restarted", "-p", "--tail=1", "--timestamps"))
                .matches(TIMESTAMPED.pattern() + "\n")
                .endsWith(" first run\n");
    }

    @Test
    void previousWithoutARestartIsAnError() {
        CommandResult result = namespace.kubectl("logs", "three", "--previous");
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr()).contains("previous terminated container \"app\" in pod \"three\" not found");
    }

    @Test
    void anUnknownContainerIsAnErrorNamingIt() {
        CommandResult result = namespace.kubectl("logs", "three", "-c", "nope");
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("nope").contains("three");
    }
}

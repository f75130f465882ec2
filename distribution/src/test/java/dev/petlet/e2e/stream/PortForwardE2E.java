package dev.petlet.e2e.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl port-forward} to busybox httpd: kubectl tunnels SPDY through a WebSocket to kube-apiserver,
 * which speaks SPDY to petlet's {@code /portForward}.
 */
@SandboxE2E
class PortForwardE2E {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)");

    private static StreamNamespace namespace;

    @TempDir
    Path files;

    @BeforeAll
    static void createPod(TestCluster cluster) {
        namespace = StreamNamespace.create(cluster, "e2e-portforward");
        namespace.apply(BusyboxPod.pod(
                        "web",
                        "Always",
                        "mkdir -p /www && echo small > /www/small"
                                + " && dd if=/dev/urandom of=/www/big bs=1M count=100 2>/dev/null"
                                + " && exec httpd -f -p 8080 -h /www")
                .build());
        namespace.awaitReady("web");
        Poll.untilTrue(
                TIMEOUT,
                "httpd in pod web to serve /small",
                () -> namespace
                        .kubectl("exec", "web", "--", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/small")
                        .stdout()
                        .equals("small\n"));
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    /** Starts {@code kubectl port-forward pod/web :remote...}; returns it once it listens on every port. */
    private static LocalCommand portForward(String... remotePorts) {
        List<String> arguments = new ArrayList<>(List.of("port-forward", "pod/web"));
        for (String remote : remotePorts) {
            arguments.add(":" + remote);
        }
        LocalCommand forward =
                LocalCommand.start(Optional.empty(), namespace.kubectlCommand(arguments.toArray(String[]::new)));
        forward.awaitStdout(
                TIMEOUT,
                "a line \"Forwarding from\" for each port",
                out -> FORWARDING.matcher(out).results().count() == remotePorts.length
                        ? Optional.of(out)
                        : Optional.empty());
        return forward;
    }

    /** The local port kubectl chose for the remote one, from its "Forwarding from" line. */
    private static int localPort(LocalCommand forward, int remotePort) {
        Matcher matcher = FORWARDING.matcher(forward.stdout());
        while (matcher.find()) {
            if (Integer.parseInt(matcher.group(2)) == remotePort) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("kubectl did not forward port " + remotePort + ":\n" + forward.stdout());
    }

    private static List<String> curl(int port, String path, String... options) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail", "--max-time", "120"));
        command.addAll(List.of(options));
        command.add("http://127.0.0.1:" + port + path);
        return command;
    }

    @Test
    void downloadsHundredMibIntact() throws Exception {
        String inPod = Checksums.fromSha256sum(namespace.kubectlOk("exec", "web", "--", "sha256sum", "/www/big"));
        try (LocalCommand forward = portForward("8080")) {
            Path big = files.resolve("big");
            CommandResult download = LocalCommand.run(
                    TRANSFER_TIMEOUT, Optional.empty(), curl(localPort(forward, 8080), "/big", "-o", big.toString()));
            assertThat(download.exitCode()).as(download.toString()).isZero();
            assertThat(Files.size(big)).isEqualTo(100L << 20);
            assertThat(Checksums.sha256(big)).isEqualTo(inPod);
        }
    }

    @Test
    void twentyConcurrentRequestsAllSucceed() {
        try (LocalCommand forward = portForward("8080")) {
            int port = localPort(forward, 8080);
            List<LocalCommand> requests = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    requests.add(LocalCommand.start(Optional.empty(), curl(port, "/small?request=" + i)));
                }
                for (LocalCommand request : requests) {
                    CommandResult result = request.awaitExit(TIMEOUT);
                    assertThat(result.exitCode()).as(result.toString()).isZero();
                    assertThat(result.stdout()).isEqualTo("small\n");
                }
            } finally {
                requests.forEach(LocalCommand::close);
            }
            assertThat(forward.stdout()).contains("Handling connection for " + port);
            assertThat(forward.isAlive()).isTrue();
        }
    }

    /**
     * A forward to a port nothing listens on fails that connection only: the other port of the same session
     * keeps forwarding. (The kubelet reports a refused connection on the error stream with {@code
     * closeConnection: true}, and kubectl then drops the whole session, "lost connection to pod"; petlet ends
     * just that connection instead, as a closed port would.)
     */
    @Test
    void aPortNothingListensOnFailsOnlyItsConnection() {
        try (LocalCommand forward = portForward("8080", "9999")) {
            int good = localPort(forward, 8080);
            CommandResult before = LocalCommand.run(TIMEOUT, Optional.empty(), curl(good, "/small"));
            assertThat(before.stdout()).as(before.toString()).isEqualTo("small\n");

            CommandResult refused =
                    LocalCommand.run(TIMEOUT, Optional.empty(), curl(localPort(forward, 9999), "/small"));
            assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
            assertThat(refused.stdout()).isEmpty();

            for (int i = 0; i < 3; i++) {
                CommandResult after = LocalCommand.run(TIMEOUT, Optional.empty(), curl(good, "/small"));
                assertThat(after.stdout())
                        .as(after + "\n--- kubectl port-forward\n" + forward.stderr())
                        .isEqualTo("small\n");
            }
            assertThat(forward.isAlive()).as(forward.stderr()).isTrue();
        }
    }
}

package dev.petlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Commands;
import dev.petlet.testing.Kubectl;
import dev.petlet.testing.Poll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code petlet sandbox} as a user runs it, from the built distribution: each way to stop it
 * leaves no process behind, a second sandbox is refused, a SIGKILLed one is recovered from.
 */
class SandboxLifecycleE2E {
    private static final Duration START = Duration.ofMinutes(2);
    private static final Duration STOP = Duration.ofMinutes(1);
    private static final List<String> COMPONENTS =
            List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
    /** A JVM stopped by a signal exits with 128 + the signal's number after its shutdown hooks ran. */
    private static final int EXIT_SIGINT = 130;

    private static final int EXIT_SIGTERM = 143;

    @TempDir
    static Path stateDirectory;

    @TempDir
    Path scratch;

    @Test
    void stopsOnPostToTheControlPort() throws Exception {
        try (SandboxProcess sandbox = start()) {
            sandbox.awaitReady(START);
            assertThat(SandboxProcess.controlRequest("GET", "/stop")).contains(405);
            assertThat(SandboxProcess.controlRequest("POST", "/stop")).contains(202);
            assertStoppedCleanly(sandbox, "POST /stop", 0);
        }
    }

    @Test
    void stopsOnSigterm() throws Exception {
        try (SandboxProcess sandbox = start()) {
            sandbox.awaitReady(START);
            sandbox.signal("TERM");
            assertStoppedCleanly(sandbox, "signal", EXIT_SIGTERM);
        }
    }

    @Test
    void stopsOnSigint() throws Exception {
        try (SandboxProcess sandbox = start()) {
            sandbox.awaitReady(START);
            sandbox.signal("INT");
            assertStoppedCleanly(sandbox, "signal", EXIT_SIGINT);
        }
    }

    @Test
    void stopsWhenTheTimeoutIsReached() throws Exception {
        try (SandboxProcess sandbox = start("--timeout=40s")) {
            sandbox.awaitReady(START);
            assertStoppedCleanly(sandbox, "timeout of 40s reached", 0);
        }
    }

    @Test
    void refusesASecondSandboxOnTheSameStateDirectory() throws Exception {
        try (SandboxProcess first = start()) {
            first.awaitReady(START);
            try (SandboxProcess second = SandboxProcess.start(stateDirectory, scratch.resolve("second.log"))) {
                assertThat(second.awaitExit(STOP)).isEqualTo(1);
                assertThat(second.output())
                        .contains("another petlet sandbox (pid " + first.pid() + ") is already using state directory");
            }
            assertThat(SandboxProcess.readyStatus())
                    .as("the first sandbox keeps running")
                    .contains(200);
            first.signal("TERM");
            assertStoppedCleanly(first, "signal", EXIT_SIGTERM);
        }
    }

    @Test
    void startsAgainAfterSigkillWithoutLeftovers() throws Exception {
        try (SandboxProcess crashed = start()) {
            crashed.awaitReady(START);
            crashed.signal("KILL");
            crashed.awaitExit(STOP);
        }
        try (SandboxProcess restarted = start()) {
            restarted.awaitReady(START);
            assertThat(componentCounts())
                    .as("exactly one of each component")
                    .isEqualTo(Map.of(
                            "etcd", 1L, "kube-apiserver", 1L, "kube-controller-manager", 1L, "kube-scheduler", 1L));
            restarted.signal("TERM");
            assertStoppedCleanly(restarted, "signal", EXIT_SIGTERM);
        }
    }

    @Test
    void aSigkilledSandboxReadoptsItsPodsWithoutRestartingThem() throws Exception {
        try (SandboxProcess crashed = start()) {
            crashed.awaitReady(START);
            Kubectl kubectl = new Kubectl(stateDirectory.resolve("admin.kubeconfig"));
            CommandResult created = kubectl.run(
                    "run",
                    "survivor",
                    "--image=localhost/busybox:latest",
                    "--image-pull-policy=IfNotPresent",
                    "--",
                    "sh",
                    "-c",
                    "trap 'exit 0' TERM; while true; do sleep 1; done");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            String before = Poll.until(
                    START,
                    "the pod to run",
                    () -> Optional.of(kubectl.run(
                                            "get",
                                            "pod",
                                            "survivor",
                                            "-o",
                                            "jsonpath={.status.containerStatuses[0].state.running.startedAt}")
                                    .stdout())
                            .filter(s -> !s.isEmpty())
                            .map(s -> containerId(kubectl)));
            crashed.signal("KILL");
            crashed.awaitExit(STOP);

            try (SandboxProcess restarted = start()) {
                restarted.awaitReady(START);
                assertThat(containerId(kubectl))
                        .as("the same container, not a new one")
                        .isEqualTo(before);
                assertThat(kubectl.run(
                                        "get",
                                        "pod",
                                        "survivor",
                                        "-o",
                                        "jsonpath={.status.containerStatuses[0].restartCount} {.status.phase}")
                                .stdout())
                        .isEqualTo("0 Running");
                restarted.signal("TERM");
                assertStoppedCleanly(restarted, "signal", EXIT_SIGTERM);
            }
        }
    }

    private static String containerId(Kubectl kubectl) {
        return kubectl.run("get", "pod", "survivor", "-o", "jsonpath={.status.containerStatuses[0].containerID}")
                .stdout();
    }

    @Test
    void stopsComponentsThatACrashedSandboxLeftRunning() throws Exception {
        // A process recorded in a pid file stands in for a component a crashed sandbox left running.
        Process stale = new ProcessBuilder("sleep", "600").start();
        try {
            Path pids = Files.createDirectories(stateDirectory.resolve("run"));
            String stat = Files.readString(Path.of("/proc/" + stale.pid() + "/stat"));
            String startTime = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
            Files.writeString(pids.resolve("kube-scheduler.pid"), stale.pid() + " " + startTime + "\n");
            try (SandboxProcess sandbox = start()) {
                sandbox.awaitReady(START);
                assertThat(stale.isAlive()).isFalse();
                assertThat(sandbox.output()).contains("stopping kube-scheduler (pid " + stale.pid() + ")");
                sandbox.signal("TERM");
                assertStoppedCleanly(sandbox, "signal", EXIT_SIGTERM);
            }
        } finally {
            stale.destroyForcibly();
        }
    }

    @Test
    void namesTheProcessHoldingAPort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(SandboxProcess.ETCD_PORT));
            try (SandboxProcess sandbox = start()) {
                assertThat(sandbox.awaitExit(START)).isEqualTo(1);
                assertThat(sandbox.output())
                        .contains("port " + SandboxProcess.ETCD_PORT
                                + " for etcd clients (--etcd-port) is already in use by java (pid "
                                + ProcessHandle.current().pid() + ")");
            }
        }
    }

    @Test
    void showsTheLogOfAComponentThatExitsEarly() throws Exception {
        Path bin = Files.createDirectories(scratch.resolve("bin"));
        for (String name : List.of("etcd", "kube-controller-manager", "kube-scheduler")) {
            executable(bin.resolve(name), "#!/bin/sh\nwhile true; do sleep 1; done\n");
        }
        executable(
                bin.resolve("kube-apiserver"),
                "#!/bin/sh\necho 'error: cannot load the serving certificate'\nexit 3\n");
        try (SandboxProcess sandbox = start("--bin-dir=" + bin)) {
            assertThat(sandbox.awaitExit(START)).isEqualTo(1);
            assertThat(sandbox.output())
                    .contains("kube-apiserver exited early with code 3")
                    .contains("error: cannot load the serving certificate");
            assertThat(sandbox.processesUsingStateDirectory()).isEmpty();
        }
    }

    @Test
    void refusesToRunWithoutRoot() {
        Assumptions.assumeTrue(
                traversableByOthers(SandboxProcess.distribution().toAbsolutePath()),
                "the distribution must be readable by user nobody for this test");
        CommandResult result = Commands.run(
                START,
                List.of(
                        "setpriv",
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        SandboxProcess.distribution().resolve("bin/petlet").toString(),
                        "sandbox",
                        "--state-dir=/tmp/petlet-not-root",
                        "--control-port=" + SandboxProcess.CONTROL_PORT));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.output()).contains("petlet sandbox must run as root").contains("sudo ./petlet sandbox");
    }

    @Test
    void refusesADownloadWhoseChecksumDoesNotMatch() throws Exception {
        // A fake release: the binary is served, its published checksum is another one's.
        HttpServer release = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] binary = "#!/bin/sh\necho 'Kubernetes v1.33.99'\n".getBytes(StandardCharsets.US_ASCII);
        String wrongDigest = "0".repeat(64);
        release.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String etcdTarball = "etcd-v3.5.21-linux-amd64.tar.gz";
            byte[] body = path.endsWith("SHA256SUMS")
                    ? (wrongDigest + "  " + etcdTarball + "\n").getBytes(StandardCharsets.US_ASCII)
                    : path.endsWith(".sha256") ? (wrongDigest + "\n").getBytes(StandardCharsets.US_ASCII) : binary;
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        release.start();
        Path cache = Files.createDirectories(scratch.resolve("cache"));
        try {
            String url = "http://127.0.0.1:" + release.getAddress().getPort();
            CommandResult result = Commands.run(
                    START,
                    List.of(
                            SandboxProcess.distribution().resolve("bin/petlet").toString(),
                            "sandbox",
                            "--prepare",
                            "--kubernetes-version=v1.33.99",
                            "--cache-dir=" + cache,
                            "--release-url=" + url,
                            "--etcd-release-url=" + url));
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.output())
                    .contains("Refusing kube-")
                    .contains("checksum")
                    .contains(wrongDigest);
            assertThat(cache.resolve("v1.33.99"))
                    .as("nothing half-downloaded is kept")
                    .doesNotExist();
        } finally {
            release.stop(0);
        }
    }

    @Test
    void cleanWipesTheStateDirectory() throws Exception {
        Path state = Files.createDirectories(scratch.resolve("state"));
        Files.writeString(Files.createDirectories(state.resolve("pki")).resolve("ca.crt"), "x");
        CommandResult result = Commands.run(
                START,
                List.of(
                        SandboxProcess.distribution().resolve("bin/petlet").toString(),
                        "sandbox",
                        "--clean",
                        "--state-dir=" + state));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(state.resolve("pki")).doesNotExist();
    }

    private static SandboxProcess start(String... arguments) throws IOException {
        return SandboxProcess.start(stateDirectory, Files.createTempFile("petlet-sandbox", ".log"), arguments);
    }

    private static void assertStoppedCleanly(SandboxProcess sandbox, String reason, int expectedExitCode)
            throws InterruptedException {
        int exitCode = sandbox.awaitExit(STOP);
        assertThat(exitCode).as(sandbox.output()).isEqualTo(expectedExitCode);
        assertThat(sandbox.output()).contains("petlet: stopping (" + reason);
        assertThat(sandbox.processesUsingStateDirectory())
                .as("processes left behind")
                .isEmpty();
        assertThat(SandboxProcess.readyStatus())
                .as("the control port is closed")
                .isEqualTo(Optional.empty());
    }

    /** How many processes run each component binary with this state directory. */
    private static Map<String, Long> componentCounts() {
        return SandboxProcess.processesMentioning(stateDirectory.toString()).stream()
                .map(commandLine ->
                        Path.of(commandLine.split(" ")[1]).getFileName().toString())
                .filter(COMPONENTS::contains)
                .collect(Collectors.groupingBy(name -> name, TreeMap::new, Collectors.counting()));
    }

    private static boolean traversableByOthers(Path path) {
        for (Path dir = path; dir != null; dir = dir.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        file.toFile().setExecutable(true);
    }
}

package dev.petlet.cli;

import dev.petlet.testing.Poll;
import dev.petlet.testing.TestPorts;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** {@code bin/petlet sandbox} from the built distribution, run as a separate process like a user runs it. */
final class SandboxProcess implements AutoCloseable {
    static final int APISERVER_PORT = TestPorts.shift(26443);
    static final int ETCD_PORT = TestPorts.shift(22379);
    static final int CONTROLLER_MANAGER_PORT = TestPorts.shift(30257);
    static final int SCHEDULER_PORT = TestPorts.shift(30259);
    static final int CONTROL_PORT = TestPorts.shift(28989);
    static final int KUBELET_PORT = TestPorts.shift(30250);

    private final Process process;
    private final Path output;
    private final Path stateDirectory;

    private SandboxProcess(Process process, Path output, Path stateDirectory) {
        this.process = process;
        this.output = output;
        this.stateDirectory = stateDirectory;
    }

    static Path distribution() {
        return Path.of(System.getProperty("petlet.distribution", "target/petlet"));
    }

    /** Starts {@code petlet sandbox} on the test ports with the given state dir and extra arguments. */
    static SandboxProcess start(Path stateDirectory, Path output, String... extraArguments) throws IOException {
        return start(distribution(), stateDirectory, output, extraArguments);
    }

    /** Starts {@code petlet sandbox} of the distribution unpacked in {@code home}. */
    static SandboxProcess start(Path home, Path stateDirectory, Path output, String... extraArguments)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                home.resolve("bin/petlet").toString(),
                "sandbox",
                "--state-dir=" + stateDirectory,
                "--apiserver-port=" + APISERVER_PORT,
                "--etcd-port=" + ETCD_PORT,
                "--controller-manager-port=" + CONTROLLER_MANAGER_PORT,
                "--scheduler-port=" + SCHEDULER_PORT,
                "--control-port=" + CONTROL_PORT,
                "--kubelet-port=" + KUBELET_PORT));
        command.addAll(List.of(extraArguments));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new SandboxProcess(process, output, stateDirectory);
    }

    long pid() {
        return process.pid();
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Waits for {@code GET /ready} to answer 200; fails at once, with the output, if the process exits. */
    void awaitReady(Duration timeout) {
        Poll.untilTrue(timeout, "the sandbox to be ready", () -> {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "petlet sandbox exited with " + process.exitValue() + " before ready:\n" + output());
            }
            // Its own word too: another process may answer on the control port.
            return output().contains("petlet: the sandbox is ready")
                    && readyStatus().orElse(0) == 200;
        });
    }

    /** The control port's answer to GET /ready, empty when nothing listens. */
    static Optional<Integer> readyStatus() {
        return controlRequest("GET", "/ready");
    }

    static Optional<Integer> controlRequest(String method, String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + CONTROL_PORT + path)
                    .toURL()
                    .openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(10000);
            int status = connection.getResponseCode();
            connection.disconnect();
            return Optional.of(status);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -s " + signal + " " + process.pid() + " failed");
        }
    }

    /** Waits for the process to exit and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("petlet sandbox did not exit within " + timeout.toSeconds() + "s:\n" + output());
        }
        return process.exitValue();
    }

    /** "PID ARGV..." of each process other than this test whose command line mentions the state directory. */
    List<String> processesUsingStateDirectory() {
        return processesMentioning(stateDirectory.toString());
    }

    static List<String> processesMentioning(String text) {
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> Long.parseLong(p.getFileName().toString()) != self)
                    .flatMap(p -> {
                        try {
                            String commandLine =
                                    Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                            return commandLine.contains(text)
                                    ? Stream.of(p.getFileName() + " " + commandLine)
                                    : Stream.empty();
                        } catch (IOException | RuntimeException gone) {
                            return Stream.empty();
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}

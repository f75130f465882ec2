package dev.petlet.cli;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Commands;
import dev.petlet.testing.TestCluster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code bin/petlet join} and {@code bin/petlet run} as processes, the way an operator runs them on a new machine. */
final class JoinedNode implements AutoCloseable {
    private final Path stateDirectory;
    private Process run;
    private Path runOutput;

    JoinedNode(Path stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    Path stateDirectory() {
        return stateDirectory;
    }

    Path config() {
        return stateDirectory.resolve("petlet.yaml");
    }

    static Path petlet() {
        return SandboxProcess.distribution().resolve("bin/petlet");
    }

    /** {@code petlet join} with the given arguments, waited for. */
    static CommandResult join(Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(List.of(petlet().toString(), "join"));
        command.addAll(List.of(arguments));
        return Commands.run(timeout, command);
    }

    /** Token discovery against the test sandbox, with the right server, token and CA hash unless overridden. */
    static List<String> tokenArguments(TestCluster cluster) throws IOException {
        return List.of(
                "--server=" + cluster.sandbox().server(),
                "--token=" + cluster.sandbox().bootstrapToken().value(),
                "--discovery-token-ca-cert-hash=" + caHash(cluster));
    }

    static String caHash(TestCluster cluster) throws IOException {
        return dev.petlet.sandbox.pki.DiscoveryHash.caCertificateHash(dev.petlet.sandbox.pki.Pem.readCertificate(
                cluster.sandbox().pki().caCertificate()));
    }

    /** Starts {@code petlet run --config STATE/petlet.yaml} with extra arguments. */
    void run(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(petlet().toString(), "run", "--config=" + config()));
        command.addAll(List.of(arguments));
        runOutput = Files.createTempFile("petlet-run-", ".log");
        run = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(runOutput.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    boolean running() {
        return run != null && run.isAlive();
    }

    String runOutput() {
        try {
            return runOutput == null ? "" : Files.readString(runOutput);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Stops {@code petlet run} with SIGTERM, as systemd does. */
    @Override
    public void close() throws InterruptedException {
        if (run != null && run.isAlive()) {
            run.destroy();
            if (!run.waitFor(30, TimeUnit.SECONDS)) {
                run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}

package dev.petlet.bench;

import static java.util.Objects.requireNonNull;

import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.sandbox.pki.ClusterPki;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * {@code petlet run} from the built distribution, as a process of its own (so its memory and CPU
 * can be read from {@code /proc}), with node credentials the sandbox's PKI issued. Everything it
 * needs lives in one directory: kubeconfig, configuration, state and log.
 */
final class AgentProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final String nodeName;
    private final Path directory;

    private AgentProcess(Process process, String nodeName, Path directory) {
        this.process = process;
        this.nodeName = nodeName;
        this.directory = directory;
    }

    /**
     * Issues credentials for {@code system:node:<nodeName>}, writes the agent's files into
     * {@code directory} and starts it; returns without waiting for the node (see {@link #awaitReady}).
     *
     * @param distribution the built distribution, holding {@code bin/petlet}
     */
    static AgentProcess start(Path distribution, Path directory, String nodeName, URI server, ClusterPki pki)
            throws IOException {
        requireNonNull(nodeName, "nodeName");
        Path launcher = distribution.resolve("bin/petlet");
        if (!Files.isExecutable(launcher)) {
            throw new IOException(launcher + " is missing: build the distribution first (./petlet version)");
        }
        Files.createDirectories(directory);
        CertificateFiles credentials =
                pki.issue(nodeName, "system:node:" + nodeName, List.of("system:nodes"), List.of(), List.of());
        Path kubeconfig = directory.resolve("kubeconfig");
        NodeKubeconfig.write(
                kubeconfig,
                server,
                pki.caCertificate(),
                "system:node:" + nodeName,
                credentials.certificate(),
                credentials.key());
        Path config = directory.resolve("petlet.yaml");
        // kubeletPort away from 10250, where another agent on this machine may listen.
        Files.writeString(config, """
                nodeName: %s
                kubeconfig: %s
                stateDir: %s
                kubeletPort: 40250
                runtime:
                  provider: podman
                """.formatted(nodeName, kubeconfig, directory.resolve("state")));
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "run", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("agent.log").toFile());
        // One log line per request to Podman (LibpodClient at debug), so libpodCalls() can count them.
        builder.environment().put("PETLET_LIBPOD_LOG_LEVEL", "DEBUG");
        Process process = builder.start();
        Files.writeString(directory.resolve("agent.pid"), process.pid() + "\n");
        return new AgentProcess(process, nodeName, directory);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return directory.resolve("agent.log");
    }

    /** The value petlet labels its Podman objects with ({@code io.petlet.agent}), once it has chosen one. */
    Optional<String> agentId() throws IOException {
        return agentId(directory);
    }

    /** {@link #agentId()} of the agent that runs, or ran, in {@code directory}. */
    static Optional<String> agentId(Path directory) throws IOException {
        Path file = directory.resolve("state/agent-id");
        return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
    }

    /** How many requests the agent has sent to Podman so far: the lines LibpodClient logged at debug. */
    long libpodCalls() throws IOException {
        try (Stream<String> lines = Files.lines(log())) {
            return lines.filter(line -> line.contains(" LibpodClient: ")).count();
        }
    }

    ProcessUsage usage() throws IOException {
        checkRunning();
        return ProcessUsage.of(process.pid());
    }

    /** Throws, with the end of the agent's log, if it has exited. */
    void checkRunning() {
        if (!process.isAlive()) {
            throw new IllegalStateException("petlet run exited with code " + process.exitValue() + "; the end of "
                    + log() + ":\n" + tail(log(), 30));
        }
    }

    /** Waits until the Node reports Ready=True, failing early if the agent exits. */
    void awaitReady(KubernetesClient admin, Duration timeout) throws InterruptedException {
        CompletableFuture<List<Node>> ready = admin.nodes()
                .withName(nodeName)
                .informOnCondition(nodes -> nodes.stream().anyMatch(AgentProcess::isReady));
        Instant deadline = Instant.now().plus(timeout);
        try {
            while (true) {
                checkRunning();
                try {
                    ready.get(500, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("node " + nodeName + " did not become Ready within "
                                + timeout.toSeconds() + " s; the end of " + log() + ":\n" + tail(log(), 30));
                    }
                } catch (ExecutionException e) {
                    throw new IllegalStateException("cannot watch node " + nodeName + ": " + e.getCause(), e);
                }
            }
        } finally {
            ready.cancel(true);
        }
    }

    private static boolean isReady(Node node) {
        return node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** SIGTERM, as an operator stops it; SIGKILL if it has not exited within 30 s. Its pods keep running. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                return;
            }
            System.err.println("pod-startup: petlet run did not stop within " + STOP_TIMEOUT.toSeconds()
                    + " s of SIGTERM; killing it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }
}

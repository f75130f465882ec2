package dev.petlet.core.join;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.FileTrees;
import dev.petlet.core.cert.CertificateKind;
import dev.petlet.core.cert.CertificateStore;
import dev.petlet.core.cert.KeyedCertificate;
import dev.petlet.core.cert.NodeIdentity;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code petlet join}: learns and verifies the cluster (token discovery, or a bootstrap kubeconfig given by the
 * administrator), obtains the node's client certificate through TLS bootstrap, and writes what {@code petlet run}
 * starts from: the configuration file, the bootstrap kubeconfig, the node's kubeconfig and {@code pki/}. Every file
 * is written under a staging directory and moved into place only once all succeeded, so a failed join leaves the
 * state directory as it was.
 */
public final class NodeJoin {
    public static final String KUBECONFIG = "kubeconfig";
    public static final String BOOTSTRAP_KUBECONFIG = "bootstrap-kubeconfig";
    public static final String PKI = "pki";

    private NodeJoin() {}

    /** Where the cluster comes from. */
    public sealed interface Source {}

    /** Token discovery: {@code --server}, {@code --token}, {@code --discovery-token-ca-cert-hash}. */
    public record TokenDiscovery(String server, BootstrapTokenString token, String caHash) implements Source {}

    /** A bootstrap kubeconfig with credentials that may create node CSRs. */
    public record BootstrapKubeconfig(Path file) implements Source {}

    /**
     * What to join as and where to write.
     *
     * @param configFile the configuration file to write ({@code petlet run --config})
     * @param kubeletPort the kubelet API port to configure, if not the default
     * @param nodeIP the InternalIP to configure, if not detected
     * @param certificateLifetime the client certificate lifetime to ask for, if not the signer's default
     * @param timeout how long discovery and approval may take
     */
    public record Request(
            String nodeName,
            Path stateDir,
            Path configFile,
            Optional<Integer> kubeletPort,
            Optional<String> nodeIP,
            Optional<Duration> certificateLifetime,
            Duration timeout) {
        public Request {
            requireNonNull(nodeName, "nodeName");
            stateDir = stateDir.toAbsolutePath().normalize();
            configFile = configFile.toAbsolutePath().normalize();
            requireNonNull(kubeletPort, "kubeletPort");
            requireNonNull(nodeIP, "nodeIP");
            requireNonNull(certificateLifetime, "certificateLifetime");
            requireNonNull(timeout, "timeout");
        }
    }

    /** What was written. */
    public record Result(Path configFile, Path kubeconfig, KeyedCertificate clientCertificate, String server) {}

    public static Result join(Source source, Request request, Consumer<String> progress, Clock clock)
            throws JoinException, InterruptedException {
        Path stateDir = request.stateDir();
        Path kubeconfig = stateDir.resolve(KUBECONFIG);
        if (Files.exists(kubeconfig)) {
            throw new JoinException("this machine has joined already: " + kubeconfig + " exists; start it with "
                    + "`petlet run --config " + request.configFile() + "`, or remove " + stateDir + " to join anew");
        }
        Instant deadline = clock.instant().plus(request.timeout());
        String bootstrap;
        String server;
        String ca;
        switch (source) {
            case TokenDiscovery discovery -> {
                progress.accept("discovering the cluster at " + discovery.server() + " (kube-public/cluster-info)");
                ClusterInfoDiscovery.Cluster cluster = ClusterInfoDiscovery.discover(
                        discovery.server(), discovery.token(), discovery.caHash(), deadline);
                server = cluster.server();
                ca = cluster.caCertificatePem();
                bootstrap = KubeconfigFile.renderWithToken(
                        server,
                        ca,
                        "tls-bootstrap-token-user",
                        discovery.token().value());
                progress.accept("the cluster CA matches " + discovery.caHash() + "; API server " + server);
            }
            case BootstrapKubeconfig file -> {
                try {
                    bootstrap = Files.readString(file.file());
                    KubeconfigFile parsed = KubeconfigFile.parse(
                            bootstrap,
                            file.file().toString(),
                            file.file().toAbsolutePath().getParent());
                    server = parsed.server();
                    ca = parsed.caCertificatePem();
                } catch (IOException e) {
                    throw new JoinException(
                            "--bootstrap-kubeconfig: cannot read " + file.file() + ": " + e.getMessage(), e);
                }
            }
        }
        progress.accept("requesting the client certificate of node " + request.nodeName() + " ("
                + NodeIdentity.user(request.nodeName()) + ")");
        KeyedCertificate client = ClientBootstrap.obtain(
                bootstrap, request.nodeName(), request.certificateLifetime(), deadline, progress);
        try {
            write(request, bootstrap, server, ca, client, clock);
        } catch (IOException e) {
            throw new JoinException("cannot write the node's state to " + stateDir + ": " + e.getMessage(), e);
        }
        return new Result(request.configFile(), kubeconfig, client, server);
    }

    private static void write(
            Request request, String bootstrap, String server, String ca, KeyedCertificate client, Clock clock)
            throws IOException {
        Path stateDir = request.stateDir();
        boolean created = !Files.exists(stateDir);
        Files.createDirectories(stateDir);
        Path staging = Files.createTempDirectory(stateDir, ".join-");
        List<Path> placed = new ArrayList<>();
        try {
            Path pki = stateDir.resolve(PKI);
            new CertificateStore(staging.resolve(PKI), CertificateKind.CLIENT).store(client, clock.instant());
            Path currentClient = new CertificateStore(pki, CertificateKind.CLIENT).currentFile();
            CertificateStore.writePrivate(staging.resolve(BOOTSTRAP_KUBECONFIG), bootstrap);
            CertificateStore.writePrivate(
                    staging.resolve(KUBECONFIG),
                    KubeconfigFile.renderWithCertificateFile(
                            server, ca, NodeIdentity.user(request.nodeName()), currentClient));
            Files.createDirectories(request.configFile().getParent());
            Path stagedConfig = staging.resolve("petlet.yaml");
            CertificateStore.writePrivate(stagedConfig, configuration(request));
            // Everything is written: move it into place, the configuration file last.
            Files.createDirectories(pki);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(staging.resolve(PKI))) {
                for (Path file : files) {
                    placed.add(move(file, pki.resolve(file.getFileName())));
                }
            }
            placed.add(move(staging.resolve(BOOTSTRAP_KUBECONFIG), stateDir.resolve(BOOTSTRAP_KUBECONFIG)));
            placed.add(move(staging.resolve(KUBECONFIG), stateDir.resolve(KUBECONFIG)));
            placed.add(move(stagedConfig, request.configFile()));
        } catch (IOException | RuntimeException e) {
            for (Path file : placed) {
                Files.deleteIfExists(file);
            }
            if (created) {
                FileTrees.delete(stateDir);
            }
            throw e;
        } finally {
            FileTrees.delete(staging);
        }
    }

    private static Path move(Path from, Path to) throws IOException {
        return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The configuration {@code petlet run} starts from. */
    static String configuration(Request request) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Written by `petlet join`: the node's configuration. Every key is described in the\n")
                .append("# distribution's conf/petlet.yaml. Start the node with `petlet run --config <this file>`.\n")
                .append("nodeName: ")
                .append(request.nodeName())
                .append('\n')
                .append("stateDir: ")
                .append(request.stateDir())
                .append('\n')
                .append("kubeconfig: ")
                .append(request.stateDir().resolve(KUBECONFIG))
                .append('\n')
                .append("bootstrapKubeconfig: ")
                .append(request.stateDir().resolve(BOOTSTRAP_KUBECONFIG))
                .append('\n')
                .append("rotateCertificates: true\n")
                .append("serverTLSBootstrap: true\n");
        request.kubeletPort()
                .ifPresent(port -> yaml.append("kubeletPort: ").append(port).append('\n'));
        request.nodeIP().ifPresent(ip -> yaml.append("nodeIP: ").append(ip).append('\n'));
        return yaml.toString();
    }
}

package dev.petlet.core.join;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.cert.CertificateKind;
import dev.petlet.core.cert.CertificateRequests;
import dev.petlet.core.cert.CertificateRotation;
import dev.petlet.core.cert.CertificateSigningRequests;
import dev.petlet.core.cert.CertificateStore;
import dev.petlet.core.cert.KeyedCertificate;
import dev.petlet.core.cert.RenewalSchedule;
import dev.petlet.core.cert.RotatingClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's credentials while it runs, as the kubelet's certificate manager keeps them: the client certificate
 * from {@code pki/kubelet-client-current.pem} (bootstrapped again with the bootstrap kubeconfig if it is missing
 * or expired), renewed through the node's own identity and swapped into the running client; and, with {@code
 * serverTLSBootstrap}, the kubelet API's serving certificate from a {@code kubelet-serving} CSR, self-signed until
 * one is issued. The kubelet API reloads the serving files when they change.
 */
public final class NodeCredentials implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeCredentials.class);
    private static final Duration SERVING_PATIENCE = Duration.ofSeconds(10);
    public static final String CA_FILE = "ca.crt";

    /**
     * @param kubeconfig the node's kubeconfig, naming the client certificate file
     * @param bootstrapKubeconfig used when the client certificate is missing or expired
     * @param certificateDirectory {@code <stateDir>/pki}
     * @param serverTlsBootstrap whether to request the serving certificate (otherwise the caller serves its own)
     * @param servingNames the serving certificate's DNS names (the host name)
     * @param servingAddresses the serving certificate's IP addresses (the node's addresses)
     * @param certificateLifetime the lifetime to request ({@code expirationSeconds}), if not the signer's default
     * @param schedule when to renew
     * @param bootstrapTimeout how long a bootstrap at start may wait for approval
     */
    public record Settings(
            String nodeName,
            Path kubeconfig,
            Optional<Path> bootstrapKubeconfig,
            Path certificateDirectory,
            boolean serverTlsBootstrap,
            List<String> servingNames,
            List<InetAddress> servingAddresses,
            Optional<Duration> certificateLifetime,
            RenewalSchedule schedule,
            Duration bootstrapTimeout) {
        public Settings {
            requireNonNull(nodeName, "nodeName");
            requireNonNull(kubeconfig, "kubeconfig");
            requireNonNull(bootstrapKubeconfig, "bootstrapKubeconfig");
            requireNonNull(certificateDirectory, "certificateDirectory");
            servingNames = List.copyOf(servingNames);
            servingAddresses = List.copyOf(servingAddresses);
            requireNonNull(certificateLifetime, "certificateLifetime");
            requireNonNull(schedule, "schedule");
            requireNonNull(bootstrapTimeout, "bootstrapTimeout");
        }
    }

    /** The kubelet API's files: a certificate-and-key file (a symlink that moves on renewal) and the client CA. */
    public record ServingFiles(Path certificate, Path key, Path clientCa) {}

    private final RotatingClient client;
    private final CertificateRotation clientRotation;
    private final Optional<CertificateRotation> servingRotation;
    private final Optional<ServingFiles> serving;

    private NodeCredentials(
            RotatingClient client,
            CertificateRotation clientRotation,
            Optional<CertificateRotation> servingRotation,
            Optional<ServingFiles> serving) {
        this.client = client;
        this.clientRotation = clientRotation;
        this.servingRotation = servingRotation;
        this.serving = serving;
    }

    /**
     * Loads (or bootstraps) the client certificate and starts keeping both certificates fresh.
     *
     * @param notices one-line messages for the operator (how to approve a pending CSR, the self-signed warning)
     */
    public static NodeCredentials start(Settings settings, Consumer<String> notices, Clock clock)
            throws JoinException, IOException, InterruptedException {
        KubeconfigFile kubeconfig;
        try {
            kubeconfig = KubeconfigFile.read(settings.kubeconfig());
        } catch (IOException e) {
            throw new JoinException(
                    "cannot read the node's kubeconfig " + settings.kubeconfig() + ": " + e.getMessage()
                            + "; join the cluster first with `petlet join`",
                    e);
        }
        Path pki = settings.certificateDirectory();
        Files.createDirectories(pki);
        CertificateStore clientStore = new CertificateStore(pki, CertificateKind.CLIENT);
        Path clientFile = kubeconfig.clientCertificate().orElse(clientStore.currentFile());
        Optional<KeyedCertificate> stored = CertificateStore.read(clientFile);
        KeyedCertificate clientCertificate;
        if (stored.isPresent() && stored.get().notAfter().isAfter(clock.instant())) {
            clientCertificate = stored.get();
        } else {
            Path bootstrap = settings.bootstrapKubeconfig()
                    .orElseThrow(() -> new JoinException("the node's client certificate " + clientFile + " is "
                            + (stored.isPresent() ? "expired" : "missing") + " and no bootstrapKubeconfig is "
                            + "configured to request a new one: join the cluster again with `petlet join`"));
            notices.accept("the node's client certificate is " + (stored.isPresent() ? "expired" : "missing")
                    + "; requesting one with " + bootstrap);
            clientCertificate = ClientBootstrap.obtain(
                    Files.readString(bootstrap),
                    settings.nodeName(),
                    settings.certificateLifetime(),
                    clock.instant().plus(settings.bootstrapTimeout()),
                    notices);
            clientStore.store(clientCertificate, clock.instant());
        }
        RotatingClient client =
                RotatingClient.create(kubeconfig.server(), kubeconfig.caCertificatePem(), clientCertificate);
        CertificateRotation clientRotation = new CertificateRotation(
                CertificateKind.CLIENT,
                settings.nodeName(),
                clientStore,
                () -> new CertificateSigningRequests(client.client(), SERVING_PATIENCE, notices),
                List::of,
                List::of,
                settings.certificateLifetime(),
                settings.schedule(),
                client::use,
                clock);
        clientRotation.start(clientCertificate);
        if (!settings.serverTlsBootstrap()) {
            return new NodeCredentials(client, clientRotation, Optional.empty(), Optional.empty());
        }
        try {
            Path ca = pki.resolve(CA_FILE);
            if (!Files.exists(ca) || !Files.readString(ca).equals(kubeconfig.caCertificatePem())) {
                CertificateStore.writePrivate(ca, kubeconfig.caCertificatePem());
            }
            CertificateStore servingStore = new CertificateStore(pki, CertificateKind.SERVING);
            KeyedCertificate servingCertificate = servingStore
                    .current()
                    .filter(c -> c.notAfter().isAfter(clock.instant()))
                    .orElse(null);
            if (servingCertificate == null) {
                servingCertificate = selfSigned(settings, clock.instant());
                servingStore.store(servingCertificate, clock.instant());
            }
            if (servingCertificate.selfSigned()) {
                notices.accept("warning: serving the kubelet API with a self-signed certificate until the "
                        + "kubelet-serving certificate signing request is approved; an API server that verifies "
                        + "kubelets refuses logs, exec and port-forward meanwhile");
            }
            CertificateRotation servingRotation = new CertificateRotation(
                    CertificateKind.SERVING,
                    settings.nodeName(),
                    servingStore,
                    () -> new CertificateSigningRequests(client.client(), SERVING_PATIENCE, notices),
                    settings::servingNames,
                    settings::servingAddresses,
                    settings.certificateLifetime(),
                    settings.schedule(),
                    renewed -> log.info("the kubelet API picks up the new serving certificate within 2 s"),
                    clock);
            servingRotation.start(servingCertificate);
            Path current = servingStore.currentFile();
            return new NodeCredentials(
                    client,
                    clientRotation,
                    Optional.of(servingRotation),
                    Optional.of(new ServingFiles(current, current, ca)));
        } catch (IOException | RuntimeException e) {
            clientRotation.close();
            client.close();
            throw e;
        }
    }

    private static KeyedCertificate selfSigned(Settings settings, Instant now) {
        KeyPair keys = CertificateRequests.newKeyPair();
        return new KeyedCertificate(
                List.of(CertificateRequests.selfSigned(
                        settings.nodeName(), keys, settings.servingNames(), settings.servingAddresses(), now)),
                keys.getPrivate());
    }

    /** A client with the node's identity; its certificate renews underneath. Closed by {@link #close}. */
    public io.fabric8.kubernetes.client.KubernetesClient client() {
        return client.client();
    }

    /** The serving files, when the serving certificate is bootstrapped here. */
    public Optional<ServingFiles> serving() {
        return serving;
    }

    /** The client certificate in use. */
    public KeyedCertificate clientCertificate() {
        return client.certificate();
    }

    /** The serving certificate in use, if bootstrapped here. */
    public Optional<KeyedCertificate> servingCertificate() {
        return servingRotation.map(CertificateRotation::current);
    }

    @Override
    public void close() {
        servingRotation.ifPresent(CertificateRotation::close);
        clientRotation.close();
        client.close();
    }
}

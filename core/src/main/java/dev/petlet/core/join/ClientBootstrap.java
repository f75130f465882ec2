package dev.petlet.core.join;

import dev.petlet.core.cert.CertificateException;
import dev.petlet.core.cert.CertificateKind;
import dev.petlet.core.cert.CertificateRequests;
import dev.petlet.core.cert.CertificateSigningRequests;
import dev.petlet.core.cert.KeyedCertificate;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** TLS bootstrap: the node's first client certificate, requested with the bootstrap kubeconfig's credentials. */
public final class ClientBootstrap {
    /** How long to wait for the csrapproving controller before telling how to approve by hand. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private ClientBootstrap() {}

    /**
     * Requests a client certificate for {@code system:node:<nodeName>} with a fresh P-256 key and waits for it.
     *
     * @param lifetime the lifetime to ask for, if not the signer's default
     */
    public static KeyedCertificate obtain(
            String bootstrapKubeconfig,
            String nodeName,
            Optional<Duration> lifetime,
            Instant deadline,
            Consumer<String> notices)
            throws JoinException, InterruptedException {
        Config config = Config.fromKubeconfig(bootstrapKubeconfig);
        // A failing request is reported at once; the CSR wait has its own deadline.
        config.setRequestRetryBackoffLimit(0);
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            return new CertificateSigningRequests(client, PATIENCE, notices)
                    .obtain(
                            CertificateKind.CLIENT,
                            nodeName,
                            CertificateRequests.newKeyPair(),
                            List.of(),
                            List.of(),
                            lifetime,
                            deadline);
        } catch (CertificateException e) {
            throw new JoinException(e.getMessage(), e);
        }
    }
}

package dev.petlet.core.cert;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the cluster for a certificate the way the kubelet does: POST a {@code certificates.k8s.io/v1}
 * CertificateSigningRequest, then watch it until it is approved and issued, denied or failed, or the deadline
 * passes. Tells the user once how to approve it when nothing has after a while.
 */
public final class CertificateSigningRequests {
    private static final Logger log = LoggerFactory.getLogger(CertificateSigningRequests.class);
    /** Asked for with {@code spec.expirationSeconds}; the API server refuses less. */
    public static final Duration MINIMUM_EXPIRATION = Duration.ofMinutes(10);

    private static final Duration WATCH_SLICE = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final Duration patience;
    private final Consumer<String> notices;

    /**
     * @param client the identity that asks: the bootstrap token, or the node itself when renewing
     * @param patience how long to wait before telling how to approve the request
     * @param notices receives that advice (one line)
     */
    public CertificateSigningRequests(KubernetesClient client, Duration patience, Consumer<String> notices) {
        this.client = requireNonNull(client, "client");
        this.patience = requireNonNull(patience, "patience");
        this.notices = requireNonNull(notices, "notices");
    }

    /**
     * Requests a certificate for the key pair and waits for it.
     *
     * @param expiration the lifetime to ask for ({@code spec.expirationSeconds}); empty for the signer's default
     * @return the issued chain, leaf first
     * @throws CertificateException if the request is refused, denied or failed, or not issued by the deadline
     */
    public List<X509Certificate> request(
            CertificateKind kind, String nodeName, String csrPem, Optional<Duration> expiration, Instant deadline)
            throws CertificateException, InterruptedException {
        CertificateSigningRequest created;
        try {
            created = client.certificates()
                    .v1()
                    .certificateSigningRequests()
                    .resource(new CertificateSigningRequestBuilder()
                            .withNewMetadata()
                            .withGenerateName("csr-")
                            .endMetadata()
                            .withNewSpec()
                            .withSignerName(kind.signerName())
                            .withUsages(kind.usages())
                            .withRequest(Base64.getEncoder().encodeToString(csrPem.getBytes(StandardCharsets.US_ASCII)))
                            .withExpirationSeconds(expiration
                                    .map(d -> (int) Math.max(d.toSeconds(), MINIMUM_EXPIRATION.toSeconds()))
                                    .orElse(null))
                            .endSpec()
                            .build())
                    .create();
        } catch (KubernetesClientException e) {
            throw new CertificateException(refusal(kind, nodeName, e), e);
        }
        String name = created.getMetadata().getName();
        log.info("requested the {} of node {} with certificate signing request {}", kind.description(), nodeName, name);
        CertificateSigningRequest first = await(
                name,
                Instant.now().plus(patience).isBefore(deadline) ? Instant.now().plus(patience) : deadline);
        if (first == null) {
            notices.accept("waiting for certificate signing request " + name + " (the " + kind.description()
                    + " of node " + nodeName + ") to be approved; nothing has approved it yet: a cluster "
                    + "administrator approves it with `kubectl certificate approve " + name + "`");
            first = await(name, deadline);
        }
        CertificateSigningRequest done = first;
        if (done == null) {
            throw new CertificateException("certificate signing request " + name + " (the " + kind.description()
                    + " of node " + nodeName + ") was not approved and issued in time; approve it with "
                    + "`kubectl certificate approve " + name + "` and try again");
        }
        Optional<CertificateSigningRequestCondition> refused =
                condition(done, "Denied").or(() -> condition(done, "Failed"));
        if (refused.isPresent()) {
            CertificateSigningRequestCondition c = refused.get();
            throw new CertificateException("certificate signing request " + name + " (the " + kind.description()
                    + " of node " + nodeName + ") was " + c.getType().toLowerCase() + describe(c)
                    + "; ask the cluster administrator why, then try again");
        }
        String certificate =
                new String(Base64.getDecoder().decode(done.getStatus().getCertificate()), StandardCharsets.US_ASCII);
        try {
            List<X509Certificate> chain = PemText.certificates(certificate);
            if (chain.isEmpty()) {
                throw new CertificateException(
                        "certificate signing request " + name + " was issued without a certificate");
            }
            log.info(
                    "certificate signing request {} issued the {} of node {}, valid until {}",
                    name,
                    kind.description(),
                    nodeName,
                    chain.get(0).getNotAfter().toInstant());
            return chain;
        } catch (java.security.cert.CertificateException e) {
            throw new CertificateException(
                    "certificate signing request " + name + " was issued with an unreadable certificate: "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * The issued, denied or failed request; null if none of these by the deadline. Watches in slices, each with a
     * fresh list, so a watch that breaks or misses an event costs at most one slice.
     */
    private CertificateSigningRequest await(String name, Instant deadline) throws CertificateException {
        while (true) {
            long millis = Duration.between(Instant.now(), deadline).toMillis();
            if (millis <= 0) {
                return null;
            }
            try {
                return client.certificates()
                        .v1()
                        .certificateSigningRequests()
                        .withName(name)
                        .waitUntilCondition(
                                CertificateSigningRequests::settled,
                                Math.min(millis, WATCH_SLICE.toMillis()),
                                TimeUnit.MILLISECONDS);
            } catch (KubernetesClientTimeoutException e) {
                // next slice
            } catch (KubernetesClientException e) {
                throw new CertificateException(
                        "cannot watch certificate signing request " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /** Issued (approved and a certificate present), denied or failed. */
    static boolean settled(CertificateSigningRequest csr) {
        if (csr == null || csr.getStatus() == null) {
            return false;
        }
        if (condition(csr, "Denied").isPresent() || condition(csr, "Failed").isPresent()) {
            return true;
        }
        String certificate = csr.getStatus().getCertificate();
        return condition(csr, "Approved").isPresent() && certificate != null && !certificate.isEmpty();
    }

    private static Optional<CertificateSigningRequestCondition> condition(CertificateSigningRequest csr, String type) {
        if (csr.getStatus() == null || csr.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return csr.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && !"False".equals(c.getStatus()))
                .findFirst();
    }

    private static String describe(CertificateSigningRequestCondition condition) {
        String reason = Optional.ofNullable(condition.getReason()).orElse("");
        String message = Optional.ofNullable(condition.getMessage()).orElse("");
        if (reason.isEmpty() && message.isEmpty()) {
            return "";
        }
        return " ("
                + String.join(
                        ": ",
                        reason.isEmpty()
                                ? List.of(message)
                                : message.isEmpty() ? List.of(reason) : List.of(reason, message))
                + ")";
    }

    private static String refusal(CertificateKind kind, String nodeName, KubernetesClientException e) {
        return switch (e.getCode()) {
            case 401 ->
                "the API server rejected the credentials requesting the " + kind.description() + " of node "
                        + nodeName + " (401 Unauthorized): a bootstrap token that is wrong, expired or deleted, or an "
                        + "expired node certificate; create a new token (e.g. `kubeadm token create`) and join again";
            case 403 ->
                "the API server forbids requesting the " + kind.description() + " of node " + nodeName
                        + " (403 Forbidden): bind the ClusterRole system:node-bootstrapper to group system:bootstrappers "
                        + "(see docs/joining.md)";
            default -> "cannot request the " + kind.description() + " of node " + nodeName + ": " + e.getMessage();
        };
    }

    /** Convenience for callers that make a fresh key pair and request a certificate for it. */
    public KeyedCertificate obtain(
            CertificateKind kind,
            String nodeName,
            KeyPair keys,
            List<String> dnsNames,
            List<java.net.InetAddress> addresses,
            Optional<Duration> expiration,
            Instant deadline)
            throws CertificateException, InterruptedException {
        String csr = CertificateRequests.csrPem(kind, nodeName, keys, dnsNames, addresses);
        return new KeyedCertificate(request(kind, nodeName, csr, expiration, deadline), keys.getPrivate());
    }
}

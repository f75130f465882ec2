package dev.petlet.sandbox.pki;

import dev.petlet.core.join.CaCertificateHash;
import java.security.cert.X509Certificate;

/**
 * The CA pin kubeadm joins with ({@code --discovery-token-ca-cert-hash}): {@code sha256:} and the
 * hex SHA-256 of the CA certificate's DER SubjectPublicKeyInfo. The same computation {@code petlet join}
 * checks the pin with.
 */
public final class DiscoveryHash {
    private DiscoveryHash() {}

    public static String caCertificateHash(X509Certificate ca) {
        return CaCertificateHash.of(ca);
    }
}

package dev.petlet.core.cert;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate chain (leaf first) with its private key.
 *
 * @param chain at least the leaf
 */
public record KeyedCertificate(List<X509Certificate> chain, PrivateKey key) {
    public KeyedCertificate {
        chain = List.copyOf(requireNonNull(chain, "chain"));
        requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** Whether the issuer is the subject: petlet's stand-in serving certificate until one is issued. */
    public boolean selfSigned() {
        return leaf().getIssuerX500Principal().equals(leaf().getSubjectX500Principal());
    }
}

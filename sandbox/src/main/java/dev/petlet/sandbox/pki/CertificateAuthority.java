package dev.petlet.sandbox.pki;

import static java.util.Objects.requireNonNull;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** A CA certificate and its key: creates itself, and signs certificates with fresh P-256 keys. */
final class CertificateAuthority {
    /** Tolerates clocks of other hosts (and containers) that run a little behind ours. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final KeyedCertificate keyedCertificate;

    CertificateAuthority(KeyedCertificate keyedCertificate) {
        this.keyedCertificate = requireNonNull(keyedCertificate, "keyedCertificate");
    }

    /** Generates a new key and a self-signed CA certificate valid from now for {@code validity}. */
    static KeyedCertificate selfSigned(CertificateTemplate template, Duration validity, Instant now) {
        if (template.profile() != CertificateProfile.AUTHORITY) {
            throw new IllegalArgumentException(template.commonName() + " is not a CA template");
        }
        KeyPair keyPair = KeyPairs.ellipticCurve();
        X509Certificate certificate = CertificateSigner.sign(
                template,
                keyPair.getPublic(),
                template.subject(),
                keyPair.getPublic(),
                keyPair.getPrivate(),
                now.minus(CLOCK_SKEW),
                now.plus(validity));
        return new KeyedCertificate(certificate, keyPair.getPrivate());
    }

    X509Certificate certificate() {
        return keyedCertificate.certificate();
    }

    /**
     * Generates a new key and signs a leaf certificate for it. The certificate never outlives this
     * CA, as kubeadm does: a chain is only valid while both certificates are.
     */
    KeyedCertificate issue(CertificateTemplate template, Duration validity, Instant now) {
        if (template.profile() == CertificateProfile.AUTHORITY) {
            throw new IllegalArgumentException("this CA does not sign intermediate CAs: " + template.commonName());
        }
        KeyPair keyPair = KeyPairs.ellipticCurve();
        Instant wantedExpiry = now.plus(validity);
        Instant caExpiry = certificate().getNotAfter().toInstant();
        X509Certificate certificate = CertificateSigner.sign(
                template,
                keyPair.getPublic(),
                certificate().getSubjectX500Principal(),
                certificate().getPublicKey(),
                keyedCertificate.key(),
                now.minus(CLOCK_SKEW),
                wantedExpiry.isAfter(caExpiry) ? caExpiry : wantedExpiry);
        return new KeyedCertificate(certificate, keyPair.getPrivate());
    }
}

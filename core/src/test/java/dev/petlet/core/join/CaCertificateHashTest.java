package dev.petlet.core.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.core.cert.CertificateRequests;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaCertificateHashTest {
    private final KeyPair keys = CertificateRequests.newKeyPair();
    private final X509Certificate ca =
            CertificateRequests.selfSigned("ca", keys, List.of("ca"), List.of(), Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void isTheSha256OfTheSubjectPublicKeyInfo() throws Exception {
        // For P-256 keys the JDK's X.509 encoding of the public key is the certificate's SubjectPublicKeyInfo.
        String expected = "sha256:"
                + HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(keys.getPublic().getEncoded()));
        assertThat(CaCertificateHash.of(ca)).isEqualTo(expected).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void matchesAnyCertificateOfTheBundle() {
        X509Certificate other = CertificateRequests.selfSigned(
                "other", CertificateRequests.newKeyPair(), List.of("other"), List.of(), Instant.now());
        assertThat(CaCertificateHash.matchesAny(List.of(other, ca), CaCertificateHash.of(ca)))
                .isTrue();
        assertThat(CaCertificateHash.matchesAny(List.of(other), CaCertificateHash.of(ca)))
                .isFalse();
    }

    @Test
    void parsesThePinCaseInsensitivelyAndRefusesOtherForms() {
        String pin = "sha256:" + "AB".repeat(32);
        assertThat(CaCertificateHash.parse(pin)).isEqualTo(pin.toLowerCase());
        assertThatThrownBy(() -> CaCertificateHash.parse("ab".repeat(32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--discovery-token-ca-cert-hash");
        assertThatThrownBy(() -> CaCertificateHash.parse("sha256:abc")).isInstanceOf(IllegalArgumentException.class);
    }
}

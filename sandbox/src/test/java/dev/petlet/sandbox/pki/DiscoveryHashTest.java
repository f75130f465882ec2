package dev.petlet.sandbox.pki;

import static dev.petlet.sandbox.pki.PkiTestValues.CLOCK;
import static dev.petlet.sandbox.pki.PkiTestValues.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryHashTest {
    @TempDir
    Path dir;

    @Test
    void hashesTheSubjectPublicKeyInfoOfTheCa() throws Exception {
        X509Certificate ca =
                Pem.readCertificate(ClusterPki.ensure(dir, spec(), CLOCK).caCertificate());

        // The JDK encodes a certificate's public key as its SubjectPublicKeyInfo DER.
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(ca.getPublicKey().getEncoded()));
        assertThat(DiscoveryHash.caCertificateHash(ca))
                .isEqualTo("sha256:" + expected)
                .matches("sha256:[0-9a-f]{64}");
    }
}

package dev.petlet.sandbox.pki;

import static dev.petlet.sandbox.pki.PkiTestValues.CLIENT_AUTH;
import static dev.petlet.sandbox.pki.PkiTestValues.CLOCK;
import static dev.petlet.sandbox.pki.PkiTestValues.SERVER_AUTH;
import static dev.petlet.sandbox.pki.PkiTestValues.address;
import static dev.petlet.sandbox.pki.PkiTestValues.dnsNames;
import static dev.petlet.sandbox.pki.PkiTestValues.ipAddresses;
import static dev.petlet.sandbox.pki.PkiTestValues.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiIssueTest {
    @TempDir
    Path dir;

    private ClusterPki pki;
    private X509Certificate ca;

    @BeforeEach
    void createPki() throws Exception {
        pki = ClusterPki.ensure(dir, spec(), CLOCK);
        ca = Pem.readCertificate(pki.caCertificate());
    }

    @Test
    void issuesANodeClientCertificate() throws Exception {
        CertificateFiles files =
                pki.issue("kubelet-client", "system:node:worker-1", List.of("system:nodes"), List.of(), List.of());

        assertThat(files)
                .isEqualTo(new CertificateFiles(dir.resolve("kubelet-client.crt"), dir.resolve("kubelet-client.key")));
        X509Certificate certificate = Pem.readCertificate(files.certificate());
        assertThatCode(() -> certificate.verify(ca.getPublicKey())).doesNotThrowAnyException();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:worker-1,O=system:nodes");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(certificate.getSubjectAlternativeNames()).isNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key())))
                .isEqualTo("rw-------");
        assertThat(KeyPairs.matches(Pem.readPrivateKey(files.key()), certificate.getPublicKey()))
                .isTrue();
    }

    @Test
    void issuesANodeServingCertificate() throws Exception {
        CertificateFiles files = pki.issue(
                "kubelet-serving",
                "system:node:worker-1",
                List.of("system:nodes"),
                List.of("worker-1", "localhost"),
                List.of(address("127.0.0.1"), address("192.0.2.10")));

        X509Certificate certificate = Pem.readCertificate(files.certificate());
        assertThatCode(() -> certificate.verify(ca.getPublicKey())).doesNotThrowAnyException();
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(dnsNames(certificate)).containsExactlyInAnyOrder("worker-1", "localhost");
        assertThat(ipAddresses(certificate)).containsExactlyInAnyOrder("127.0.0.1", "192.0.2.10");
    }

    @Test
    void reusesAMatchingCertificateAndReissuesAChangedOne() throws Exception {
        pki.issue("node", "system:node:worker-1", List.of("system:nodes"), List.of("worker-1"), List.of());
        DirectorySnapshot first = DirectorySnapshot.of(dir);

        pki.issue("node", "system:node:worker-1", List.of("system:nodes"), List.of("worker-1"), List.of());
        assertThat(DirectorySnapshot.of(dir)).isEqualTo(first);

        pki.issue(
                "node",
                "system:node:worker-1",
                List.of("system:nodes"),
                List.of("worker-1", "worker-1.lan"),
                List.of());
        assertThat(DirectorySnapshot.of(dir).changedSince(first)).containsExactlyInAnyOrder("node.crt", "node.key");

        DirectorySnapshot second = DirectorySnapshot.of(dir);
        pki.issue(
                "node",
                "system:node:worker-2",
                List.of("system:nodes"),
                List.of("worker-1", "worker-1.lan"),
                List.of());
        assertThat(DirectorySnapshot.of(dir).changedSince(second)).containsExactlyInAnyOrder("node.crt", "node.key");
    }

    @Test
    void issuedCertificatesSurviveEnsure() throws Exception {
        pki.issue("node", "system:node:worker-1", List.of("system:nodes"), List.of(), List.of());
        DirectorySnapshot before = DirectorySnapshot.of(dir);

        ClusterPki.ensure(dir, spec(), CLOCK);

        assertThat(DirectorySnapshot.of(dir)).isEqualTo(before);
    }

    @Test
    void refusesFileNamesOutsideTheDirectoryOrOfTheControlPlane() {
        for (String fileName : List.of("../escape", "a/b", ".hidden", "", "ca", "apiserver", "sa", "admin")) {
            assertThatThrownBy(() -> pki.issue(fileName, "someone", List.of(), List.of(), List.of()))
                    .as(fileName)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("`" + fileName + "`");
        }
    }
}

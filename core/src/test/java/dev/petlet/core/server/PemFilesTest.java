package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
    @TempDir
    Path directory;

    private static boolean pairs(PrivateKey key, PublicKey publicKey) throws Exception {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signature);
    }

    @Test
    void readsSec1EcKeys() throws Exception {
        PrivateKey key = PemFiles.privateKey(TlsFixtures.file("server.key"));
        X509Certificate certificate =
                PemFiles.certificates(TlsFixtures.file("server.crt")).getFirst();

        assertThat(key.getAlgorithm()).isEqualTo("EC");
        assertThat(pairs(key, certificate.getPublicKey())).isTrue();
    }

    @Test
    void readsCertificateAndKeyFromOneFileAsTheKubeletWritesThem() throws Exception {
        Path combined = directory.resolve("kubelet-server-current.pem");
        Files.writeString(
                combined,
                Files.readString(TlsFixtures.file("client.crt")) + Files.readString(TlsFixtures.file("client.key")));

        assertThat(pairs(
                        PemFiles.privateKey(combined),
                        PemFiles.certificates(combined).getFirst().getPublicKey()))
                .isTrue();
        assertThat(PemFiles.certificates(combined)).hasSize(1);
    }

    @Test
    void readsPkcs8Keys() throws Exception {
        PrivateKey key = PemFiles.privateKey(TlsFixtures.file("client.key"));

        assertThat(pairs(
                        key,
                        PemFiles.certificates(TlsFixtures.file("client.crt"))
                                .getFirst()
                                .getPublicKey()))
                .isTrue();
    }

    @Test
    void readsPkcs1RsaKeys() throws Exception {
        PrivateKey key = PemFiles.privateKey(TlsFixtures.file("rsa-pkcs1.key"));

        assertThat(key.getAlgorithm()).isEqualTo("RSA");
        assertThat(key.getFormat()).isEqualTo("PKCS#8");
    }

    @Test
    void readsChainsLeafFirst() throws Exception {
        Path chain = directory.resolve("chain.crt");
        Files.writeString(
                chain, Files.readString(TlsFixtures.file("server.crt")) + Files.readString(TlsFixtures.file("ca.crt")));

        assertThat(PemFiles.certificates(chain))
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=test-node", "CN=petlet-test-ca");
    }

    @Test
    void saysWhatIsWrong() throws IOException {
        Path empty = Files.writeString(directory.resolve("empty.pem"), "nothing here\n");
        Path encrypted = Files.writeString(
                directory.resolve("encrypted.key"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        assertThatThrownBy(() -> PemFiles.privateKey(empty)).hasMessageEndingWith("holds no PEM private key");
        assertThatThrownBy(() -> PemFiles.privateKey(encrypted))
                .hasMessageContaining("convert the key to an unencrypted PKCS#8 PRIVATE KEY");
        assertThatThrownBy(() -> PemFiles.certificates(empty)).hasMessageContaining("holds no");
    }

    @Test
    void clientCertificateUserIsCnWithOrganizationsAsGroups() throws IOException {
        X509Certificate client =
                PemFiles.certificates(TlsFixtures.file("client.crt")).getFirst();

        assertThat(ClientCertificateUser.of(client)).contains(User.of("alice", java.util.List.of("dev", "ops")));
    }
}

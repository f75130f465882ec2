package dev.petlet.sandbox.pki;

import static dev.petlet.sandbox.pki.PkiTestValues.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsCertificatesAndKeys() throws Exception {
        KeyedCertificate ca =
                CertificateAuthority.selfSigned(CertificateTemplate.authority("test-ca"), Duration.ofDays(1), NOW);
        KeyPair rsa = KeyPairs.rsa2048();

        Pem.writeCertificate(dir.resolve("ca.crt"), ca.certificate());
        Pem.writePrivateKey(dir.resolve("ca.key"), ca.key());
        Pem.writePrivateKey(dir.resolve("rsa.key"), rsa.getPrivate());
        Pem.writePublicKey(dir.resolve("rsa.pub"), rsa.getPublic());

        assertThat(Pem.readCertificate(dir.resolve("ca.crt"))).isEqualTo(ca.certificate());
        // EC keys are written as SEC1, whose re-encoding may differ: compare the key itself.
        assertThat(((java.security.interfaces.ECPrivateKey) Pem.readPrivateKey(dir.resolve("ca.key"))).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) ca.key()).getS());
        assertThat(Files.readAllLines(dir.resolve("ca.key"))).first().isEqualTo("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Pem.readPrivateKey(dir.resolve("rsa.key")).getEncoded())
                .isEqualTo(rsa.getPrivate().getEncoded());
        assertThat(Pem.readPublicKey(dir.resolve("rsa.pub"))).isEqualTo(rsa.getPublic());
        assertThat(Files.readAllLines(dir.resolve("ca.crt"))).first().isEqualTo("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readAllLines(dir.resolve("ca.crt")))
                .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(64));
    }

    @Test
    void readsTraditionalOpenSslKeysAndTheWantedObjectOfACombinedFile() throws Exception {
        KeyedCertificate ca =
                CertificateAuthority.selfSigned(CertificateTemplate.authority("test-ca"), Duration.ofDays(1), NOW);
        StringWriter combined = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(combined)) {
            // SEC1 with the curve inside, as openssl ecparam -genkey and Go's x509.MarshalECPrivateKey write it.
            PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(ca.key().getEncoded());
            ECPrivateKey sec1 = new ECPrivateKey(
                    256,
                    ((java.security.interfaces.ECPrivateKey) ca.key()).getS(),
                    pkcs8.getPrivateKeyAlgorithm().getParameters());
            writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            writer.writeObject(ca.certificate());
        }
        Path file = dir.resolve("combined.pem");
        Files.writeString(file, combined.toString());

        assertThat(combined.toString()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(KeyPairs.matches(Pem.readPrivateKey(file), ca.certificate().getPublicKey()))
                .isTrue();
        assertThat(Pem.readCertificate(file)).isEqualTo(ca.certificate());
    }

    @Test
    void readsPkcs1RsaKeys() throws Exception {
        KeyPair rsa = KeyPairs.rsa2048();
        byte[] pkcs1 = PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded())
                .parsePrivateKey()
                .toASN1Primitive()
                .getEncoded();
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new PemObject("RSA PRIVATE KEY", pkcs1));
        }
        Path file = dir.resolve("rsa.key");
        Files.writeString(file, text.toString());

        assertThat(KeyPairs.matches(Pem.readPrivateKey(file), rsa.getPublic())).isTrue();
    }

    @Test
    void privateKeysAreOwnerOnlyEvenWhenReplacingAReadableFile() throws Exception {
        Path key = dir.resolve("replaced.key");
        Files.writeString(key, "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        Pem.writePrivateKey(key, KeyPairs.ellipticCurve().getPrivate());
        Pem.writePublicKey(dir.resolve("public.pub"), KeyPairs.ellipticCurve().getPublic());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("public.pub"))))
                .isEqualTo("rw-r--r--");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("no temporary file is left behind")
                    .containsExactlyInAnyOrder("replaced.key", "public.pub");
        }
    }

    @Test
    void unreadableContentFailsWithTheFileName() throws Exception {
        Path garbage = dir.resolve("garbage.pem");
        Files.write(garbage, new byte[] {(byte) 0xc3, 0x28, '-', '-', '\n'});
        Path truncated = dir.resolve("truncated.pem");
        Files.writeString(truncated, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

        for (Path file : List.of(garbage, truncated)) {
            assertThatThrownBy(() -> Pem.readCertificate(file))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString());
            assertThatThrownBy(() -> Pem.readPrivateKey(file))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString());
            assertThatThrownBy(() -> Pem.readPublicKey(file))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString());
        }
    }
}

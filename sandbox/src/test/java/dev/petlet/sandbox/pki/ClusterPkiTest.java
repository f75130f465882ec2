package dev.petlet.sandbox.pki;

import static dev.petlet.sandbox.pki.PkiTestValues.CA_VALIDITY;
import static dev.petlet.sandbox.pki.PkiTestValues.CLIENT_AUTH;
import static dev.petlet.sandbox.pki.PkiTestValues.CLOCK;
import static dev.petlet.sandbox.pki.PkiTestValues.LEAF_VALIDITY;
import static dev.petlet.sandbox.pki.PkiTestValues.NOW;
import static dev.petlet.sandbox.pki.PkiTestValues.SERVER_AUTH;
import static dev.petlet.sandbox.pki.PkiTestValues.clockAt;
import static dev.petlet.sandbox.pki.PkiTestValues.dnsNames;
import static dev.petlet.sandbox.pki.PkiTestValues.ipAddresses;
import static dev.petlet.sandbox.pki.PkiTestValues.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {
    private static final List<String> CLUSTER_SIGNED_CERTIFICATES = List.of(
            "apiserver.crt", "apiserver-kubelet-client.crt", "admin.crt", "controller-manager.crt", "scheduler.crt");

    @TempDir
    Path temporary;

    private Path dir() {
        return temporary.resolve("pki");
    }

    @Test
    void writesTheKubeadmLayout() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir(), spec(), CLOCK);

        try (Stream<Path> files = Files.list(dir())) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "ca.crt", "ca.key",
                            "front-proxy-ca.crt", "front-proxy-ca.key",
                            "apiserver.crt", "apiserver.key",
                            "apiserver-kubelet-client.crt", "apiserver-kubelet-client.key",
                            "front-proxy-client.crt", "front-proxy-client.key",
                            "admin.crt", "admin.key",
                            "controller-manager.crt", "controller-manager.key",
                            "scheduler.crt", "scheduler.key",
                            "sa.key", "sa.pub");
        }
        assertThat(List.of(
                        pki.caCertificate(), pki.caKey(),
                        pki.frontProxyCaCertificate(), pki.frontProxyCaKey(),
                        pki.apiserverCertificate(), pki.apiserverKey(),
                        pki.apiserverKubeletClientCertificate(), pki.apiserverKubeletClientKey(),
                        pki.frontProxyClientCertificate(), pki.frontProxyClientKey(),
                        pki.adminCertificate(), pki.adminKey(),
                        pki.controllerManagerCertificate(), pki.controllerManagerKey(),
                        pki.schedulerCertificate(), pki.schedulerKey(),
                        pki.serviceAccountKey(), pki.serviceAccountPublicKey()))
                .allSatisfy(file -> assertThat(file).isRegularFile().hasParent(dir()));
        assertThat(pki.dir()).isEqualTo(dir());
    }

    @Test
    void certificatesChainToTheirAuthorities() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir(), spec(), CLOCK);
        X509Certificate ca = Pem.readCertificate(pki.caCertificate());
        X509Certificate frontProxyCa = Pem.readCertificate(pki.frontProxyCaCertificate());

        for (X509Certificate authority : List.of(ca, frontProxyCa)) {
            assertThatCode(() -> authority.verify(authority.getPublicKey())).doesNotThrowAnyException();
            assertThat(authority.getBasicConstraints()).isGreaterThanOrEqualTo(0);
            // digitalSignature, keyCertSign, cRLSign
            assertThat(authority.getKeyUsage())
                    .containsExactly(true, false, false, false, false, true, true, false, false);
        }
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=petlet-sandbox-ca");
        assertThat(frontProxyCa.getSubjectX500Principal().getName()).isEqualTo("CN=petlet-sandbox-front-proxy-ca");
        for (String name : CLUSTER_SIGNED_CERTIFICATES) {
            X509Certificate leaf = Pem.readCertificate(dir().resolve(name));
            assertThatCode(() -> leaf.verify(ca.getPublicKey())).as(name).doesNotThrowAnyException();
            assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
            assertThat(leaf.getBasicConstraints()).as(name).isEqualTo(-1);
            // digitalSignature, keyEncipherment
            assertThat(leaf.getKeyUsage()).containsExactly(true, false, true, false, false, false, false, false, false);
            assertThat(authorityKeyIdentifier(leaf)).isEqualTo(subjectKeyIdentifier(ca));
        }
        X509Certificate frontProxyClient = Pem.readCertificate(pki.frontProxyClientCertificate());
        assertThatCode(() -> frontProxyClient.verify(frontProxyCa.getPublicKey()))
                .doesNotThrowAnyException();
    }

    @Test
    void apiserverServesTheSpecNamesAndTheKubernetesService() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir(), spec("sandbox.example", "kubernetes"), CLOCK);

        X509Certificate apiserver = Pem.readCertificate(pki.apiserverCertificate());
        assertThat(apiserver.getSubjectX500Principal().getName()).isEqualTo("CN=kube-apiserver");
        assertThat(dnsNames(apiserver))
                .containsExactlyInAnyOrder(
                        "sandbox.example",
                        "kubernetes",
                        "kubernetes.default",
                        "kubernetes.default.svc",
                        "kubernetes.default.svc.cluster.local");
        assertThat(ipAddresses(apiserver)).containsExactlyInAnyOrder("127.0.0.1", "10.96.0.1", "0:0:0:0:0:0:0:1");
        assertThat(apiserver.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    }

    @Test
    void clientCertificatesNameTheirUsers() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir(), spec(), CLOCK);

        Map<Path, String> subjects = Map.of(
                pki.adminCertificate(), "CN=petlet-admin,O=system:masters",
                pki.apiserverKubeletClientCertificate(), "CN=kube-apiserver-kubelet-client,O=system:masters",
                pki.controllerManagerCertificate(), "CN=system:kube-controller-manager",
                pki.schedulerCertificate(), "CN=system:kube-scheduler",
                pki.frontProxyClientCertificate(), "CN=front-proxy-client");
        for (var entry : subjects.entrySet()) {
            X509Certificate certificate = Pem.readCertificate(entry.getKey());
            assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo(entry.getValue());
            assertThat(certificate.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
            assertThat(certificate.getSubjectAlternativeNames()).isNull();
        }
    }

    @Test
    void validityStartsBeforeNowAndLeavesNeverOutliveTheirAuthority() throws Exception {
        PkiSpec longLivedLeaves = new PkiSpec(List.of(), List.of(), Duration.ofDays(400), Duration.ofDays(100));
        ClusterPki pki = ClusterPki.ensure(dir(), longLivedLeaves, CLOCK);

        X509Certificate ca = Pem.readCertificate(pki.caCertificate());
        X509Certificate admin = Pem.readCertificate(pki.adminCertificate());
        assertThat(ca.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(100)));
        assertThat(admin.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(admin.getNotAfter()).isEqualTo(ca.getNotAfter());
        assertThat(admin.getSerialNumber()).isPositive();
        assertThat(admin.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
        assertThat(admin.getSerialNumber()).isNotEqualTo(ca.getSerialNumber()).isNotEqualTo(BigInteger.ZERO);
    }

    @Test
    void keysAreReadableByTheOwnerOnly() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir(), spec(), CLOCK);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())))
                .isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(dir())) {
            for (Path file : files.toList()) {
                String expected = file.toString().endsWith(".key") ? "rw-------" : "rw-r--r--";
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .as(file.toString())
                        .isEqualTo(expected);
            }
        }
        assertThat(Files.readString(pki.adminKey())).startsWith("-----BEGIN EC PRIVATE KEY-----\n");
        assertThat(Files.readString(pki.adminCertificate())).startsWith("-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void tightensAnExistingDirectory() throws Exception {
        Files.createDirectories(
                dir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        ClusterPki.ensure(dir(), spec(), CLOCK);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())))
                .isEqualTo("rwx------");
    }

    @Test
    void serviceAccountKeysAreAnRsa2048PairInPkcs8AndSubjectPublicKeyInfo() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir(), spec(), CLOCK);

        assertThat(Files.readString(pki.serviceAccountKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(pki.serviceAccountPublicKey())).startsWith("-----BEGIN PUBLIC KEY-----\n");
        RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) Pem.readPrivateKey(pki.serviceAccountKey());
        RSAPublicKey publicKey = (RSAPublicKey) Pem.readPublicKey(pki.serviceAccountPublicKey());
        assertThat(publicKey.getModulus().bitLength()).isEqualTo(2048);
        assertThat(privateKey.getModulus()).isEqualTo(publicKey.getModulus());
        assertThat(privateKey.getPublicExponent()).isEqualTo(publicKey.getPublicExponent());
    }

    @Test
    void secondEnsureWithTheSameSpecChangesNoFile() throws Exception {
        ClusterPki.ensure(dir(), spec(), CLOCK);
        DirectorySnapshot first = DirectorySnapshot.of(dir());

        ClusterPki.ensure(dir(), spec(), clockAt(NOW.plus(Duration.ofDays(30))));

        assertThat(DirectorySnapshot.of(dir())).isEqualTo(first);
    }

    @Test
    void changedApiserverNamesReissueOnlyTheApiserverCertificate() throws Exception {
        ClusterPki.ensure(dir(), spec("sandbox.example"), CLOCK);
        DirectorySnapshot before = DirectorySnapshot.of(dir());

        ClusterPki pki = ClusterPki.ensure(dir(), spec("sandbox.example", "other.example"), CLOCK);

        assertThat(DirectorySnapshot.of(dir()).changedSince(before))
                .containsExactlyInAnyOrder("apiserver.crt", "apiserver.key");
        assertThat(dnsNames(Pem.readCertificate(pki.apiserverCertificate()))).contains("other.example");
    }

    @Test
    void expiredAuthoritiesRegenerateEveryCertificateButKeepTheServiceAccountKeys() throws Exception {
        ClusterPki.ensure(dir(), spec(), CLOCK);
        DirectorySnapshot before = DirectorySnapshot.of(dir());
        Instant muchLater = NOW.plus(CA_VALIDITY).plus(Duration.ofDays(1));

        ClusterPki pki = ClusterPki.ensure(dir(), spec(), clockAt(muchLater));

        assertThat(DirectorySnapshot.of(dir()).changedSince(before)).hasSize(16).doesNotContain("sa.key", "sa.pub");
        X509Certificate ca = Pem.readCertificate(pki.caCertificate());
        assertThat(ca.getNotBefore().toInstant()).isEqualTo(muchLater.minus(Duration.ofMinutes(5)));
        for (String name : CLUSTER_SIGNED_CERTIFICATES) {
            X509Certificate leaf = Pem.readCertificate(dir().resolve(name));
            assertThatCode(() -> leaf.verify(ca.getPublicKey())).as(name).doesNotThrowAnyException();
        }
    }

    @Test
    void leavesAreRenewedWithinTheLastTenthOfTheirLifetime() throws Exception {
        ClusterPki.ensure(dir(), spec(), CLOCK);
        DirectorySnapshot before = DirectorySnapshot.of(dir());
        Instant leafExpiry = NOW.plus(LEAF_VALIDITY);

        ClusterPki.ensure(dir(), spec(), clockAt(leafExpiry.minus(LEAF_VALIDITY.dividedBy(9))));
        assertThat(DirectorySnapshot.of(dir())).isEqualTo(before);

        ClusterPki.ensure(dir(), spec(), clockAt(leafExpiry.minus(LEAF_VALIDITY.dividedBy(11))));
        assertThat(DirectorySnapshot.of(dir()).changedSince(before))
                .hasSize(12)
                .doesNotContain("ca.crt", "ca.key", "front-proxy-ca.crt", "front-proxy-ca.key", "sa.key", "sa.pub");
    }

    @Test
    void corruptLeafIsRegeneratedAlone() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir(), spec(), CLOCK);
        Files.write(pki.apiserverCertificate(), new byte[] {(byte) 0xff, 0, 'x', '\n'});
        DirectorySnapshot before = DirectorySnapshot.of(dir());

        ClusterPki.ensure(dir(), spec(), CLOCK);

        assertThat(DirectorySnapshot.of(dir()).changedSince(before))
                .containsExactlyInAnyOrder("apiserver.crt", "apiserver.key");
        X509Certificate ca = Pem.readCertificate(pki.caCertificate());
        assertThatCode(() -> Pem.readCertificate(pki.apiserverCertificate()).verify(ca.getPublicKey()))
                .doesNotThrowAnyException();
    }

    @Test
    void corruptCaKeyRegeneratesTheCaAndEveryCertificateItSigned() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir(), spec(), CLOCK);
        Files.writeString(pki.caKey(), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        DirectorySnapshot before = DirectorySnapshot.of(dir());

        ClusterPki.ensure(dir(), spec(), CLOCK);

        assertThat(DirectorySnapshot.of(dir()).changedSince(before))
                .containsExactlyInAnyOrder(
                        "ca.crt", "ca.key",
                        "apiserver.crt", "apiserver.key",
                        "apiserver-kubelet-client.crt", "apiserver-kubelet-client.key",
                        "admin.crt", "admin.key",
                        "controller-manager.crt", "controller-manager.key",
                        "scheduler.crt", "scheduler.key");
    }

    @Test
    void keyThatDoesNotBelongToItsCertificateIsReplaced() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir(), spec(), CLOCK);
        Files.copy(pki.adminKey(), pki.schedulerKey(), StandardCopyOption.REPLACE_EXISTING);
        DirectorySnapshot before = DirectorySnapshot.of(dir());

        ClusterPki.ensure(dir(), spec(), CLOCK);

        assertThat(DirectorySnapshot.of(dir()).changedSince(before))
                .containsExactlyInAnyOrder("scheduler.crt", "scheduler.key");
        assertThat(KeyPairs.matches(
                        Pem.readPrivateKey(pki.schedulerKey()),
                        Pem.readCertificate(pki.schedulerCertificate()).getPublicKey()))
                .isTrue();
    }

    @Test
    void missingServiceAccountPublicKeyReplacesThePair() throws Exception {
        ClusterPki pki = ClusterPki.ensure(dir(), spec(), CLOCK);
        Files.delete(pki.serviceAccountPublicKey());
        DirectorySnapshot before = DirectorySnapshot.of(dir());

        ClusterPki.ensure(dir(), spec(), CLOCK);

        assertThat(DirectorySnapshot.of(dir()).changedSince(before)).containsExactlyInAnyOrder("sa.key", "sa.pub");
    }

    private static byte[] subjectKeyIdentifier(X509Certificate certificate) {
        return SubjectKeyIdentifier.getInstance(extension(certificate, Extension.subjectKeyIdentifier.getId()))
                .getKeyIdentifier();
    }

    private static byte[] authorityKeyIdentifier(X509Certificate certificate) {
        return AuthorityKeyIdentifier.getInstance(extension(certificate, Extension.authorityKeyIdentifier.getId()))
                .getKeyIdentifierOctets();
    }

    private static byte[] extension(X509Certificate certificate, String oid) {
        byte[] value = certificate.getExtensionValue(oid);
        assertThat(value).as(oid).isNotNull();
        return ASN1OctetString.getInstance(value).getOctets();
    }
}

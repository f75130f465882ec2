package dev.petlet.core.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class CertificateRequestsTest {
    private final KeyPair keys = CertificateRequests.newKeyPair();

    @Test
    void keysAreP256() {
        assertThat(keys.getPublic().getAlgorithm()).isEqualTo("EC");
        assertThat(((java.security.interfaces.ECPublicKey) keys.getPublic())
                        .getParams()
                        .getCurve()
                        .getField()
                        .getFieldSize())
                .isEqualTo(256);
    }

    @Test
    void aClientRequestIsForTheNodeUserInSystemNodesWithoutNames() throws Exception {
        PKCS10CertificationRequest request =
                parse(CertificateRequests.csrPem(CertificateKind.CLIENT, "pet-1", keys, List.of(), List.of()));
        assertThat(value(request, BCStyle.CN)).isEqualTo("system:node:pet-1");
        assertThat(value(request, BCStyle.O)).isEqualTo("system:nodes");
        assertThat(request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest))
                .isEmpty();
        assertThat(request.isSignatureValid(
                        new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo())))
                .isTrue();
        assertThat(request.getSubjectPublicKeyInfo().getEncoded())
                .isEqualTo(keys.getPublic().getEncoded());
    }

    @Test
    void aServingRequestNamesTheNodesHostNameAndAddresses() throws Exception {
        PKCS10CertificationRequest request = parse(CertificateRequests.csrPem(
                CertificateKind.SERVING, "pet-1", keys, List.of("pet-1"), List.of(InetAddress.getByName("192.0.2.7"))));
        assertThat(value(request, BCStyle.CN)).isEqualTo("system:node:pet-1");
        GeneralNames names = GeneralNames.fromExtensions(
                Extensions.getInstance(request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                        .getAttributeValues()[0]),
                Extension.subjectAlternativeName);
        assertThat(Arrays.stream(names.getNames()).map(GeneralName::getTagNo))
                .containsExactly(GeneralName.dNSName, GeneralName.iPAddress);
        assertThat(names.getNames()[0].getName().toString()).isEqualTo("pet-1");
    }

    @Test
    void theUsagesAreTheKubeletsForEcKeys() {
        assertThat(CertificateKind.CLIENT.usages()).containsExactly("digital signature", "client auth");
        assertThat(CertificateKind.SERVING.usages()).containsExactly("digital signature", "server auth");
        assertThat(CertificateKind.CLIENT.signerName()).isEqualTo("kubernetes.io/kube-apiserver-client-kubelet");
        assertThat(CertificateKind.SERVING.signerName()).isEqualTo("kubernetes.io/kubelet-serving");
    }

    @Test
    void refusesNamesOnAClientRequestAndNoneOnAServingOne() {
        assertThatThrownBy(() -> CertificateRequests.csrPem(CertificateKind.CLIENT, "n", keys, List.of("n"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CertificateRequests.csrPem(CertificateKind.SERVING, "n", keys, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node n");
    }

    @Test
    void theSelfSignedServingCertificateIsForTheNode() throws Exception {
        X509Certificate certificate = CertificateRequests.selfSigned(
                "pet-1", keys, List.of("pet-1"), List.of(InetAddress.getByName("192.0.2.7")), Instant.now());
        certificate.verify(keys.getPublic());
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=system:node:pet-1");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(certificate.getSubjectAlternativeNames().stream()
                        .map(name -> String.valueOf(name.get(1)))
                        .toList())
                .containsExactly("pet-1", "192.0.2.7");
        KeyedCertificate pair = new KeyedCertificate(List.of(certificate), keys.getPrivate());
        assertThat(pair.selfSigned()).isTrue();
    }

    private static PKCS10CertificationRequest parse(String pem) throws Exception {
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return (PKCS10CertificationRequest) parser.readObject();
        }
    }

    private static String value(PKCS10CertificationRequest request, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        return IETFUtils.valueToString(
                request.getSubject().getRDNs(type)[0].getFirst().getValue());
    }
}

package dev.petlet.core.cert;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The node's key pairs, certificate signing requests and its self-signed stand-in serving certificate. Pure:
 * no I/O beyond the random source.
 */
public final class CertificateRequests {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateRequests() {}

    /** A new ECDSA P-256 key pair, the kind the kubelet generates. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
        }
    }

    /**
     * The PKCS#10 request, PEM-encoded: CN {@code system:node:<nodeName>}, O {@code system:nodes}; for a serving
     * certificate the DNS names and addresses as SANs (a client certificate must have none).
     */
    public static String csrPem(
            CertificateKind kind, String nodeName, KeyPair keys, List<String> dnsNames, List<InetAddress> addresses) {
        requireNonNull(kind, "kind");
        requireNonNull(nodeName, "nodeName");
        requireNonNull(keys, "keys");
        List<GeneralName> names = subjectAlternativeNames(dnsNames, addresses);
        if (kind == CertificateKind.CLIENT && !names.isEmpty()) {
            throw new IllegalArgumentException("a node client certificate must not carry subject alternative names");
        }
        if (kind == CertificateKind.SERVING && names.isEmpty()) {
            throw new IllegalArgumentException(
                    "a serving certificate for node " + nodeName + " needs at least one DNS name or IP address");
        }
        try {
            JcaPKCS10CertificationRequestBuilder builder =
                    new JcaPKCS10CertificationRequestBuilder(subject(nodeName), keys.getPublic());
            if (!names.isEmpty()) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            PKCS10CertificationRequest request = builder.build(signer(keys));
            return PemText.encode("CERTIFICATE REQUEST", request.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a certificate request", e);
        }
    }

    /**
     * A self-signed serving certificate, valid for a year from an hour ago: what the kubelet serves with until a
     * {@code kubelet-serving} certificate is issued. API servers that verify kubelets reject it.
     */
    public static X509Certificate selfSigned(
            String nodeName, KeyPair keys, List<String> dnsNames, List<InetAddress> addresses, Instant now) {
        List<GeneralName> names = subjectAlternativeNames(dnsNames, addresses);
        try {
            X500Name subject = subject(nodeName);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(365))),
                    subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            if (!names.isEmpty()) {
                builder.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(keys)));
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot make a self-signed certificate for node " + nodeName, e);
        }
    }

    private static X500Name subject(String nodeName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, NodeIdentity.NODES_GROUP)
                .addRDN(BCStyle.CN, NodeIdentity.user(nodeName))
                .build();
    }

    private static List<GeneralName> subjectAlternativeNames(List<String> dnsNames, List<InetAddress> addresses) {
        List<GeneralName> names = new ArrayList<>();
        for (String dns : requireNonNull(dnsNames, "dnsNames")) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (InetAddress address : requireNonNull(addresses, "addresses")) {
            names.add(new GeneralName(GeneralName.iPAddress, address.getHostAddress()));
        }
        return names;
    }

    private static ContentSigner signer(KeyPair keys) {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a P-256 key", e);
        }
    }
}

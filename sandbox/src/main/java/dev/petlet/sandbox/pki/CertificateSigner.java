package dev.petlet.sandbox.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds and signs X.509 certificates with BouncyCastle. Only used when something is generated, so
 * that a start with every file in place never loads BouncyCastle.
 */
final class CertificateSigner {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateSigner() {}

    static X509Certificate sign(
            CertificateTemplate template,
            PublicKey subjectKey,
            X500Principal issuer,
            PublicKey issuerKey,
            PrivateKey signingKey,
            Instant notBefore,
            Instant notAfter) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            CertificateProfile profile = template.profile();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            issuer,
                            randomSerialNumber(),
                            Date.from(notBefore),
                            Date.from(notAfter),
                            template.subject(),
                            subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(profile.isAuthority()))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(profile.keyUsage()))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
            if (!profile.isAuthority()) {
                // A self-signed CA may omit it (RFC 5280 4.2.1.1); leaves need it for path building.
                builder.addExtension(
                        Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(issuerKey));
                builder.addExtension(
                        Extension.extendedKeyUsage,
                        false,
                        new ExtendedKeyUsage(profile.extendedKeyUsages().stream()
                                .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
                                .toArray(KeyPurposeId[]::new)));
            }
            if (template.hasSubjectAlternativeNames()) {
                builder.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(template));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(
                            new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(signingKey)).build(signingKey)));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot sign certificate for " + template.commonName(), e);
        }
    }

    private static GeneralNames subjectAlternativeNames(CertificateTemplate template) {
        List<GeneralName> names = new ArrayList<>();
        template.dnsNames().forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        template.ipAddresses()
                .forEach(address ->
                        names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress()))));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** 128 random bits: unique without a serial-number database, and positive as RFC 5280 requires. */
    private static BigInteger randomSerialNumber() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }
}

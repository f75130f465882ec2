package dev.petlet.sandbox.pki;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The CA pin kubeadm joins with ({@code --discovery-token-ca-cert-hash}): {@code sha256:} and the
 * hex SHA-256 of the CA certificate's DER SubjectPublicKeyInfo.
 */
public final class DiscoveryHash {
    private DiscoveryHash() {}

    public static String caCertificateHash(X509Certificate ca) {
        requireNonNull(ca, "ca");
        try {
            // The SubjectPublicKeyInfo exactly as the certificate encodes it, which is what kubeadm
            // hashes; re-encoding the parsed public key could in principle spell it differently.
            byte[] subjectPublicKeyInfo = new X509CertificateHolder(ca.getEncoded())
                    .getSubjectPublicKeyInfo()
                    .getEncoded();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo);
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalArgumentException("cannot encode CA certificate " + ca.getSubjectX500Principal(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

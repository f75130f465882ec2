package dev.petlet.core.join;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * kubeadm's CA pin ({@code --discovery-token-ca-cert-hash}): {@code sha256:} and the hex SHA-256 of the CA
 * certificate's DER SubjectPublicKeyInfo.
 */
public final class CaCertificateHash {
    private static final Pattern FORMAT = Pattern.compile("sha256:[0-9a-f]{64}");

    private CaCertificateHash() {}

    public static String of(X509Certificate ca) {
        requireNonNull(ca, "ca");
        try {
            // The SubjectPublicKeyInfo exactly as the certificate encodes it, which is what kubeadm hashes.
            byte[] subjectPublicKeyInfo = new X509CertificateHolder(ca.getEncoded())
                    .getSubjectPublicKeyInfo()
                    .getEncoded();
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo));
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalArgumentException("cannot encode CA certificate " + ca.getSubjectX500Principal(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Normalizes a pin as given on the command line; the message says the expected form. */
    public static String parse(String pin) {
        String normalized = requireNonNull(pin, "pin").trim().toLowerCase(Locale.ROOT);
        if (!FORMAT.matcher(normalized).matches()) {
            throw new IllegalArgumentException("--discovery-token-ca-cert-hash: expected sha256: and 64 hex digits, "
                    + "like `kubeadm token create --print-join-command` prints, got '" + pin + "'");
        }
        return normalized;
    }

    /** Whether one of the CA certificates has the pinned hash (the bundle may hold several during CA rotation). */
    public static boolean matchesAny(List<X509Certificate> cas, String pin) {
        return cas.stream().anyMatch(ca -> of(ca).equals(pin));
    }
}

package dev.petlet.core.cert;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM blocks in text: certificates and PKCS#8 private keys, possibly in one file (the kubelet's {@code
 * kubelet-client-current.pem} holds both).
 */
public final class PemText {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----", Pattern.DOTALL);

    private PemText() {}

    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static String encode(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** A private key as unencrypted PKCS#8 ({@code PRIVATE KEY}), which the JDK, Netty and Go all read. */
    public static String encode(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    /** The certificates of the text, in order; ignores other blocks. */
    public static List<X509Certificate> certificates(String text) throws CertificateException {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (byte[] der : blocks(text, "CERTIFICATE")) {
            certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        return certificates;
    }

    /** The first PKCS#8 EC or RSA private key of the text. */
    public static PrivateKey privateKey(String text) throws GeneralSecurityException {
        List<byte[]> keys = blocks(text, "PRIVATE KEY");
        if (keys.isEmpty()) {
            throw new GeneralSecurityException("no PEM PRIVATE KEY block");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        try {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        } catch (GeneralSecurityException e) {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        }
    }

    private static List<byte[]> blocks(String text, String type) {
        List<byte[]> blocks = new ArrayList<>();
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            if (block.group(1).equals(type)) {
                blocks.add(Base64.getMimeDecoder().decode(block.group(2).trim()));
            }
        }
        return blocks;
    }
}

package dev.petlet.sandbox.pki;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes certificates and keys as PEM files, the format every Kubernetes component takes.
 *
 * <p>Writers replace the file atomically; private keys are written as SEC1 ({@code EC PRIVATE KEY})
 * or PKCS#8 ({@code PRIVATE KEY}) into a file that is mode 0600 from the moment it exists, certificates and public keys
 * ({@code PUBLIC KEY}, SubjectPublicKeyInfo) as mode 0644. Readers take the first block of the
 * wanted kind, so a file holding a key and a certificate can be read for either; private keys may
 * also be PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}), as kubeadm and openssl
 * write them. EC and RSA keys only; encrypted keys are not supported. Stateless and thread-safe.
 */
public final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA");

    private Pem() {}

    /** Reads the first certificate in {@code file}; fails if there is none or it does not parse. */
    public static X509Certificate readCertificate(Path file) throws IOException {
        return parseCertificate(readText(file))
                .orElseThrow(() -> new IOException(file + " holds no readable PEM certificate"));
    }

    /** Reads the first private key in {@code file}; fails if there is none, or it is encrypted or unreadable. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return parsePrivateKey(readText(file))
                .orElseThrow(() -> new IOException(file + " holds no readable unencrypted PEM private key"));
    }

    /** Reads the first {@code PUBLIC KEY} in {@code file}. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        return parsePublicKey(readText(file))
                .orElseThrow(() -> new IOException(file + " holds no readable PEM public key"));
    }

    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        requireNonNull(certificate, "certificate");
        try {
            write(file, "CERTIFICATE", certificate.getEncoded(), AtomicFiles.WORLD_READABLE);
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /**
     * EC keys go out as SEC1 {@code EC PRIVATE KEY} with the named curve, as kubeadm writes them:
     * some clients (fabric8's among them) read a PKCS#8 {@code PRIVATE KEY} as RSA only. Other keys
     * go out as PKCS#8.
     */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        requireNonNull(key, "key");
        byte[] pkcs8 = encoded(key.getEncoded(), "PKCS#8", key.getFormat());
        if (key instanceof java.security.interfaces.ECPrivateKey ec) {
            write(file, "EC PRIVATE KEY", sec1(pkcs8, ec), AtomicFiles.OWNER_ONLY);
        } else {
            write(file, "PRIVATE KEY", pkcs8, AtomicFiles.OWNER_ONLY);
        }
    }

    private static byte[] sec1(byte[] pkcs8, java.security.interfaces.ECPrivateKey key) throws IOException {
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pkcs8);
        org.bouncycastle.asn1.sec.ECPrivateKey inner =
                org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        return new org.bouncycastle.asn1.sec.ECPrivateKey(
                        key.getParams().getOrder().bitLength(),
                        key.getS(),
                        inner.getPublicKey() == null
                                ? null
                                : new org.bouncycastle.asn1.DERBitString(inner.getPublicKey()),
                        info.getPrivateKeyAlgorithm().getParameters())
                .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
    }

    public static void writePublicKey(Path file, PublicKey key) throws IOException {
        requireNonNull(key, "key");
        write(file, "PUBLIC KEY", encoded(key.getEncoded(), "X.509", key.getFormat()), AtomicFiles.WORLD_READABLE);
    }

    // The parsers use the JDK alone for the formats this package writes: loading BouncyCastle's
    // signed jars costs most of a second, which a restart with every file in place should not pay.

    static Optional<X509Certificate> parseCertificate(String text) {
        return firstBlock(text, Set.of("CERTIFICATE")).flatMap(block -> {
            try {
                return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(block.content())));
            } catch (GeneralSecurityException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    static Optional<PrivateKey> parsePrivateKey(String text) {
        return firstBlock(text, Set.of("PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"))
                .flatMap(block -> block.type().equals("PRIVATE KEY")
                        ? firstKey(algorithm -> KeyFactory.getInstance(algorithm)
                                .generatePrivate(new PKCS8EncodedKeySpec(block.content())))
                        : TraditionalPrivateKeys.parse(block.type(), block.content()));
    }

    static Optional<PublicKey> parsePublicKey(String text) {
        return firstBlock(text, Set.of("PUBLIC KEY"))
                .flatMap(block -> firstKey(algorithm ->
                        KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(block.content()))));
    }

    /** Reads any bytes as text: PEM is ASCII, and garbage must fail to parse rather than to decode. */
    static String readText(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    private record Block(String type, byte[] content) {}

    private static Optional<Block> firstBlock(String text, Set<String> types) {
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            if (types.contains(matcher.group(1))) {
                try {
                    return Optional.of(
                            new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private interface KeyDecoder<K> {
        K decode(String algorithm) throws GeneralSecurityException;
    }

    /** A PKCS#8 or SubjectPublicKeyInfo block names its algorithm inside; the JDK needs it up front. */
    private static <K> Optional<K> firstKey(KeyDecoder<K> decoder) {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return Optional.of(decoder.decode(algorithm));
            } catch (GeneralSecurityException | RuntimeException e) {
                // Not this algorithm, or not a key at all: try the next.
            }
        }
        return Optional.empty();
    }

    private static byte[] encoded(byte[] der, String expectedFormat, String actualFormat) throws IOException {
        if (der == null || !expectedFormat.equals(actualFormat)) {
            throw new IOException("key has encoding " + actualFormat + ", expected " + expectedFormat);
        }
        return der;
    }

    private static void write(Path file, String type, byte[] der, Set<PosixFilePermission> permissions)
            throws IOException {
        requireNonNull(file, "file");
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        String text = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
        AtomicFiles.write(file, text.getBytes(StandardCharsets.US_ASCII), permissions);
    }
}

package dev.petlet.core.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of the kubelet API's TLS: certificate chains, and private keys as PKCS#8 ({@code PRIVATE
 * KEY}), SEC1 ({@code EC PRIVATE KEY}, what kubeadm and petlet's sandbox write) or PKCS#1 ({@code RSA PRIVATE
 * KEY}). Netty and the JDK read only PKCS#8 without BouncyCastle, so the other two are rewrapped as PKCS#8.
 */
final class PemFiles {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----", Pattern.DOTALL);
    /** id-ecPublicKey, 1.2.840.10045.2.1. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };
    /** rsaEncryption, 1.2.840.113549.1.1.1, followed by NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };

    private PemFiles() {}

    /** The certificates of a PEM file, leaf first. */
    static List<X509Certificate> certificates(Path file) throws IOException {
        // Only the CERTIFICATE blocks: the file may hold the key too (the kubelet's kubelet-server-current.pem).
        StringBuilder certificateBlocks = new StringBuilder();
        Matcher certificateBlock = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (certificateBlock.find()) {
            if (certificateBlock.group(1).equals("CERTIFICATE")) {
                certificateBlocks.append(certificateBlock.group()).append('\n');
            }
        }
        byte[] bytes = certificateBlocks.toString().getBytes(StandardCharsets.US_ASCII);
        try {
            List<X509Certificate> certificates =
                    CertificateFactory.getInstance("X.509")
                            .generateCertificates(new ByteArrayInputStream(bytes))
                            .stream()
                            .map(X509Certificate.class::cast)
                            .toList();
            if (certificates.isEmpty()) {
                throw new IOException(file + " holds no PEM certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IOException(file + " holds no readable PEM certificate: " + e.getMessage(), e);
        }
    }

    /** The first private key of a PEM file. */
    static PrivateKey privateKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String type = block.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(block.group(2).trim());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": the " + type + " block is not valid base64", e);
            }
            try {
                return switch (type) {
                    case "PRIVATE KEY" -> pkcs8(der, "EC", "RSA", "Ed25519", "Ed448");
                    case "EC PRIVATE KEY" -> pkcs8(ecPkcs8(der), "EC");
                    case "RSA PRIVATE KEY" ->
                        pkcs8(sequence(integerZero(), sequence(RSA_ALGORITHM), octets(der)), "RSA");
                    default ->
                        throw new IOException(file + ": " + type
                                + " is not supported; convert the key to an unencrypted PKCS#8 PRIVATE KEY");
                };
            } catch (GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IOException(file + ": the " + type + " cannot be read: " + e.getMessage(), e);
            }
        }
        throw new IOException(file + " holds no PEM private key");
    }

    private static PrivateKey pkcs8(byte[] der, String... algorithms) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * SEC1 {@code ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] namedCurve OID, [1] publicKey }}
     * as PKCS#8: the curve moves into the algorithm identifier, the SEC1 structure becomes the key octets.
     */
    private static byte[] ecPkcs8(byte[] sec1) {
        Der outer = Der.read(sec1, 0);
        if (outer.tag != 0x30) {
            throw new IllegalArgumentException("not a DER sequence");
        }
        int position = outer.contentStart;
        while (position < outer.end()) {
            Der element = Der.read(sec1, position);
            if (element.tag == (byte) 0xa0) {
                byte[] curve = java.util.Arrays.copyOfRange(sec1, element.contentStart, element.end());
                return sequence(integerZero(), sequence(concat(EC_PUBLIC_KEY_OID, curve)), octets(sec1));
            }
            position = element.end();
        }
        throw new IllegalArgumentException("the EC key does not name its curve");
    }

    private static byte[] integerZero() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    private static byte[] sequence(byte[]... parts) {
        return tagged(0x30, concat(parts));
    }

    private static byte[] octets(byte[] content) {
        return tagged(0x04, content);
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** One DER element: its tag and where its content lies. */
    private record Der(byte tag, int contentStart, int length) {
        int end() {
            return contentStart + length;
        }

        static Der read(byte[] der, int offset) {
            byte tag = der[offset];
            int first = der[offset + 1] & 0xff;
            if (first < 0x80) {
                return new Der(tag, offset + 2, first);
            }
            int bytes = first & 0x7f;
            if (bytes == 0 || bytes > 3) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            int length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[offset + 2 + i] & 0xff);
            }
            int start = offset + 2 + bytes;
            if (start + length > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return new Der(tag, start, length);
        }
    }
}

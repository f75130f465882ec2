package dev.petlet.sandbox.pki;

import java.util.List;

/**
 * What a certificate may be used for: the key usage bits and extended key usages it carries.
 * Plain values rather than BouncyCastle types, so that checking a stored certificate does not load
 * BouncyCastle.
 */
enum CertificateProfile {
    AUTHORITY(KeyUsageBits.KEY_CERT_SIGN | KeyUsageBits.CRL_SIGN | KeyUsageBits.DIGITAL_SIGNATURE, List.of()),
    SERVER(KeyUsageBits.DIGITAL_SIGNATURE | KeyUsageBits.KEY_ENCIPHERMENT, List.of(KeyUsageBits.SERVER_AUTH)),
    CLIENT(KeyUsageBits.DIGITAL_SIGNATURE | KeyUsageBits.KEY_ENCIPHERMENT, List.of(KeyUsageBits.CLIENT_AUTH));

    private final int keyUsage;
    private final List<String> extendedKeyUsages;

    CertificateProfile(int keyUsage, List<String> extendedKeyUsages) {
        this.keyUsage = keyUsage;
        this.extendedKeyUsages = extendedKeyUsages;
    }

    /** The KeyUsage bit string as BouncyCastle's {@code KeyUsage(int)} takes it. */
    int keyUsage() {
        return keyUsage;
    }

    /** Object identifiers of the extended key usages. */
    List<String> extendedKeyUsages() {
        return extendedKeyUsages;
    }

    boolean isAuthority() {
        return this == AUTHORITY;
    }

    /** RFC 5280 values; the bits are laid out as in BouncyCastle's {@code KeyUsage}. */
    private static final class KeyUsageBits {
        static final int DIGITAL_SIGNATURE = 1 << 7;
        static final int KEY_ENCIPHERMENT = 1 << 5;
        static final int KEY_CERT_SIGN = 1 << 2;
        static final int CRL_SIGN = 1 << 1;
        static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
        static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    }
}

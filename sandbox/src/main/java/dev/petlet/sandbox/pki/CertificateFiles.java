package dev.petlet.sandbox.pki;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where a certificate and its private key live: both PEM, the key readable by its owner only.
 *
 * @param certificate the certificate file ({@code name.crt}, mode 0644)
 * @param key the PKCS#8 private key file ({@code name.key}, mode 0600)
 */
public record CertificateFiles(Path certificate, Path key) {

    public CertificateFiles {
        requireNonNull(certificate, "certificate");
        requireNonNull(key, "key");
    }

    static CertificateFiles in(Path directory, String name) {
        return new CertificateFiles(directory.resolve(name + ".crt"), directory.resolve(name + ".key"));
    }
}

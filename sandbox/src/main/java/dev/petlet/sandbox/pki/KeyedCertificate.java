package dev.petlet.sandbox.pki;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** A certificate with its private key, as stored in a pair of {@link CertificateFiles}. */
record KeyedCertificate(X509Certificate certificate, PrivateKey key) {

    KeyedCertificate {
        requireNonNull(certificate, "certificate");
        requireNonNull(key, "key");
    }

    /**
     * Reads both files; empty when either is missing or does not parse, which callers answer by
     * generating a new pair. Other I/O errors (permissions, a full disk) propagate: regenerating
     * would not fix them.
     */
    static Optional<KeyedCertificate> read(CertificateFiles files) throws IOException {
        if (!Files.exists(files.certificate()) || !Files.exists(files.key())) {
            return Optional.empty();
        }
        Optional<X509Certificate> certificate = Pem.parseCertificate(Pem.readText(files.certificate()));
        Optional<PrivateKey> key = Pem.parsePrivateKey(Pem.readText(files.key()));
        if (certificate.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KeyedCertificate(certificate.get(), key.get()));
    }

    /**
     * Writes the key first: after a crash between the two writes the old certificate no longer
     * matches the new key, which the next start detects and repairs.
     */
    void write(CertificateFiles files) throws IOException {
        Pem.writePrivateKey(files.key(), key);
        Pem.writeCertificate(files.certificate(), certificate);
    }
}

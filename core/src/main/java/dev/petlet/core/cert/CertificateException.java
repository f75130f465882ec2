package dev.petlet.core.cert;

/** Getting a certificate failed; the message says what to fix. */
public final class CertificateException extends Exception {
    public CertificateException(String message) {
        super(message);
    }

    public CertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}

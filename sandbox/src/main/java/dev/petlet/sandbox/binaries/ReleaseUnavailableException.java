package dev.petlet.sandbox.binaries;

/**
 * A release could not be fetched (no route, no answer, not found, broken transfer, unusable checksum
 * file): a reason to try another source, unlike a checksum mismatch, which is a reason to stop. The
 * message is a short reason that fits in parentheses, naming the URL.
 */
final class ReleaseUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    ReleaseUnavailableException(String reason) {
        super(reason);
    }
}

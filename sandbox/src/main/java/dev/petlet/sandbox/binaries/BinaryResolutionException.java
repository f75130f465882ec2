package dev.petlet.sandbox.binaries;

/**
 * The control-plane binaries could not be found or obtained; the message is one sentence that says
 * what went wrong and what the user can do about it (it may be followed by the tail of a build log).
 */
public final class BinaryResolutionException extends Exception {
    private static final long serialVersionUID = 1L;

    public BinaryResolutionException(String message) {
        super(message);
    }

    public BinaryResolutionException(String message, Throwable cause) {
        super(message, cause);
    }
}

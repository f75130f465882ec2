package dev.petlet.sandbox;

/** A sandbox failure whose message tells the user what happened and what to do about it. */
public final class SandboxException extends Exception {
    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}

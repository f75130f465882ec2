package dev.petlet.core.join;

/** Joining failed; the message is one line that says what to fix. */
public final class JoinException extends Exception {
    public JoinException(String message) {
        super(message);
    }

    public JoinException(String message, Throwable cause) {
        super(message, cause);
    }
}

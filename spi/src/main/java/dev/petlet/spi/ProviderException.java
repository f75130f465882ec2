package dev.petlet.spi;

import static java.util.Objects.requireNonNull;

/**
 * A failure of a provider operation, classified by an {@link ErrorCode}. The message is a sentence a user can
 * act on ("image `localhost/app:1` not found in any registry"), shown as it is in Kubernetes events and pod
 * status, so it names the object and says what went wrong; it never stands in for a stack trace.
 */
public class ProviderException extends Exception {
    private final ErrorCode code;

    /** Creates an exception with a code and a user-actionable message. */
    public ProviderException(ErrorCode code, String message) {
        super(requireNonNull(message, "message"));
        this.code = requireNonNull(code, "code");
    }

    /** Creates an exception with a code, a user-actionable message and the underlying cause. */
    public ProviderException(ErrorCode code, String message, Throwable cause) {
        super(requireNonNull(message, "message"), cause);
        this.code = requireNonNull(code, "code");
    }

    /** The kind of failure; the core branches on this. */
    public ErrorCode code() {
        return code;
    }
}

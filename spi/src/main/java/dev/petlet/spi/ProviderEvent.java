package dev.petlet.spi;

import static java.util.Objects.requireNonNull;

/**
 * Something a provider wants operators to see, published through {@link ProviderEventSink}; the core turns it
 * into a Kubernetes event on the pod it names, or on the node.
 *
 * @param severity whether this is routine or a problem
 * @param reason a short UpperCamelCase reason, e.g. {@code "ImagePruned"}
 * @param message a sentence for humans
 * @param podUid nullable: the UID of the pod this is about, or {@code null} when it is about the node
 */
public record ProviderEvent(Severity severity, String reason, String message, String podUid) {
    /** How an event is shown: as Kubernetes' Normal or Warning event type. */
    public enum Severity {
        NORMAL,
        WARNING
    }

    public ProviderEvent {
        requireNonNull(severity, "severity");
        requireNonNull(reason, "reason");
        requireNonNull(message, "message");
    }
}

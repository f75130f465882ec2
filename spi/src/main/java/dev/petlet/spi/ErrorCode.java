package dev.petlet.spi;

/**
 * What kind of failure a {@link ProviderException} reports. The core retries, backs off and reports on the
 * code alone, so a provider picks the code by what the caller can do about it.
 */
public enum ErrorCode {
    /** The named object (container, sandbox, image, exec session) does not exist. */
    NOT_FOUND,
    /** An object with the same name or identity exists already. */
    ALREADY_EXISTS,
    /**
     * The request cannot be carried out as given: a malformed argument, or the object is in a state that
     * forbids it (exec in a stopped container, removing an image in use). Repeating it unchanged will fail
     * again until something else changes.
     */
    INVALID,
    /** The backing service or a remote it needs (daemon, registry, network) cannot be reached now; retry later. */
    UNAVAILABLE,
    /** The provider does not implement this operation or option. */
    UNSUPPORTED,
    /** A remote (for example an image registry) refused the request for lack of valid credentials. */
    UNAUTHENTICATED,
    /** Anything else: a bug or an unexpected answer from the backing service. */
    INTERNAL
}

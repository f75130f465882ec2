package dev.petlet.provider.podman;

/**
 * A complete, small answer from Podman.
 *
 * @param status the HTTP status
 * @param body the body, possibly empty
 */
record LibpodResponse(int status, byte[] body) {
    static final int NOT_MODIFIED = 304;

    /** Whether Podman did what was asked: 2xx, or 304 when it was done already. */
    boolean succeeded() {
        return (status >= 200 && status < 300) || status == NOT_MODIFIED;
    }
}

package dev.petlet.core.server;

/** Decides whether a user may do something on the Node. Called off the event loop: it may block. */
interface Authorizer {
    /**
     * Whether the attributes are allowed.
     *
     * @throws RuntimeException if the decision cannot be made now; the request fails with 500
     */
    boolean allowed(AuthorizationAttributes attributes);
}

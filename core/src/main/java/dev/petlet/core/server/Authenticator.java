package dev.petlet.core.server;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Establishes who sent a request. Called off the event loop: it may block on the API server.
 */
interface Authenticator {
    /**
     * The user, or empty if the request carries no credentials this authenticator accepts.
     *
     * @param clientCertificate nullable: the client's certificate, already verified against the client CA
     * @param authorization nullable: the {@code Authorization} header
     * @throws RuntimeException if the credentials cannot be checked now (the API server is unreachable); the
     *     request is then refused as unauthenticated, as the kubelet does
     */
    Optional<User> authenticate(X509Certificate clientCertificate, String authorization);
}

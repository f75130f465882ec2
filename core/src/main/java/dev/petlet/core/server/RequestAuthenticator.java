package dev.petlet.core.server;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The kubelet's authentication chain: a verified client certificate first, then a bearer token if token
 * authentication is on. Anonymous requests are not authenticated.
 */
final class RequestAuthenticator implements Authenticator {
    private static final String BEARER = "bearer ";

    private final Optional<TokenAuthenticator> tokens;

    RequestAuthenticator(Optional<TokenAuthenticator> tokens) {
        this.tokens = tokens;
    }

    @Override
    public Optional<User> authenticate(X509Certificate clientCertificate, String authorization) {
        if (clientCertificate != null) {
            Optional<User> user = ClientCertificateUser.of(clientCertificate);
            if (user.isPresent()) {
                return user;
            }
        }
        return bearerToken(authorization).flatMap(token -> tokens.flatMap(t -> t.authenticate(token)));
    }

    /** The token of an {@code Authorization: Bearer <token>} header; the scheme is case-insensitive. */
    static Optional<String> bearerToken(String authorization) {
        if (authorization == null
                || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}

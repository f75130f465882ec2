package dev.petlet.core.server;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Authentication and authorization for handler tests: a bearer token is the user's name (group {@code
 * testers}), a client certificate counts as usual; the authorizer allows the listed user/subresource pairs and
 * records what it was asked.
 */
final class TestAuth implements Authenticator, Authorizer {
    final List<AuthorizationAttributes> asked = new CopyOnWriteArrayList<>();
    private final Set<String> allowed;

    /** @param allowed "user/subresource" pairs */
    TestAuth(String... allowed) {
        this.allowed = Set.of(allowed);
    }

    @Override
    public Optional<User> authenticate(X509Certificate clientCertificate, String authorization) {
        if (clientCertificate != null) {
            return ClientCertificateUser.of(clientCertificate);
        }
        return RequestAuthenticator.bearerToken(authorization).map(token -> User.of(token, List.of("testers")));
    }

    @Override
    public boolean allowed(AuthorizationAttributes attributes) {
        asked.add(attributes);
        return allowed.contains(attributes.user().name() + "/" + attributes.subresource());
    }
}

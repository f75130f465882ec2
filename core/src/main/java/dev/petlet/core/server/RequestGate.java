package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's filter in front of every route: authenticate, then authorize the request's attributes in order
 * until one is allowed. Blocking; runs off the event loop.
 */
final class RequestGate {
    private static final Logger log = LoggerFactory.getLogger(RequestGate.class);

    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final String nodeName;

    RequestGate(Authenticator authenticator, Authorizer authorizer, String nodeName) {
        this.authenticator = requireNonNull(authenticator, "authenticator");
        this.authorizer = requireNonNull(authorizer, "authorizer");
        this.nodeName = requireNonNull(nodeName, "nodeName");
    }

    /** What the filter decided. */
    sealed interface Decision {
        record Allowed(User user) implements Decision {}

        /** Refused with this status and body. */
        record Refused(int status, String body) implements Decision {}
    }

    Decision check(HttpMethod method, String path, X509Certificate clientCertificate, String authorization) {
        Optional<User> user;
        try {
            user = authenticator.authenticate(clientCertificate, authorization);
        } catch (RuntimeException e) {
            log.warn("cannot authenticate a request to {}: {}", path, e.getMessage());
            return new Decision.Refused(401, "Unauthorized");
        }
        if (user.isEmpty()) {
            return new Decision.Refused(401, "Unauthorized");
        }
        List<AuthorizationAttributes> attributes =
                AuthorizationAttributes.forRequest(user.get(), method, path, nodeName);
        for (AuthorizationAttributes attempt : attributes) {
            try {
                if (authorizer.allowed(attempt)) {
                    return new Decision.Allowed(user.get());
                }
            } catch (RuntimeException e) {
                log.warn(
                        "cannot authorize {} {} for user {}: {}",
                        attempt.verb(),
                        attempt.subresource(),
                        attempt.user().name(),
                        e.getMessage());
                return new Decision.Refused(
                        500,
                        "Authorization error (user=" + attempt.user().name() + ", verb=" + attempt.verb()
                                + ", resource=" + AuthorizationAttributes.RESOURCE + ", subresource="
                                + attempt.subresource() + ")");
            }
        }
        log.debug("{}", AuthorizationAttributes.forbiddenMessage(attributes).trim());
        return new Decision.Refused(403, AuthorizationAttributes.forbiddenMessage(attributes));
    }
}

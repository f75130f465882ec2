package dev.petlet.core.volume;

import java.time.Instant;
import java.util.Optional;

/**
 * Service account tokens from the API server's TokenRequest API ({@code serviceaccounts/token}),
 * bound to a pod. Thread-safe; failures are thrown as runtime exceptions.
 */
public interface TokenSource {
    /**
     * @param audience the token's audience; empty for the API server's own
     * @param expirationSeconds the requested lifetime
     */
    IssuedToken request(
            String namespace,
            String serviceAccount,
            Optional<String> audience,
            long expirationSeconds,
            String podName,
            String podUid);

    /**
     * A token as issued. Its {@link #toString} never shows the token.
     *
     * @param expirationSeconds the lifetime the API server granted (it may differ from the one asked for)
     */
    record IssuedToken(String token, Instant expiration, long expirationSeconds) {
        @Override
        public String toString() {
            return "IssuedToken[expires " + expiration + "]";
        }
    }
}

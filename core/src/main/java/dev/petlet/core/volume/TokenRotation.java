package dev.petlet.core.volume;

import java.time.Duration;
import java.time.Instant;

/**
 * When the kubelet's token manager requests a fresh token: once 80% of the token's lifetime has
 * passed, or once it is older than 24 hours, whichever comes first (plus a jitter of up to 10 s
 * that the caller passes in, so nodes do not all refresh at once).
 */
final class TokenRotation {
    static final Duration MAX_AGE = Duration.ofHours(24);

    private TokenRotation() {}

    static boolean requiresRefresh(TokenSource.IssuedToken token, Instant now, Duration jitter) {
        Instant issued = token.expiration().minusSeconds(token.expirationSeconds());
        if (now.isAfter(issued.plus(MAX_AGE).minus(jitter))) {
            return true;
        }
        long fifthOfLifetime = token.expirationSeconds() * 20 / 100;
        return now.isAfter(token.expiration().minusSeconds(fifthOfLifetime).minus(jitter));
    }
}

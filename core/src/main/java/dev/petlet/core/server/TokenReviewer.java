package dev.petlet.core.server;

import java.util.Optional;

/** Asks the API server who a bearer token belongs to: a TokenReview. The seam tests fake. */
@FunctionalInterface
interface TokenReviewer {
    /**
     * The token's user, or empty if the API server does not accept the token.
     *
     * @throws RuntimeException if the API server cannot be asked
     */
    Optional<User> review(String token);
}

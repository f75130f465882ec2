package dev.petlet.core.server;

/** Asks the API server whether attributes are allowed: a SubjectAccessReview. The seam tests fake. */
@FunctionalInterface
interface AccessReviewer {
    /**
     * Whether the API server allows the attributes.
     *
     * @throws RuntimeException if the API server cannot be asked
     */
    boolean review(AuthorizationAttributes attributes);
}

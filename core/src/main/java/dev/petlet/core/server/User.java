package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * Who sent a request, as authentication established it.
 *
 * @param name the user name: a client certificate's CN, or what a TokenReview returned
 * @param uid the user's UID, empty if unknown
 * @param groups the groups: a client certificate's O values, or what a TokenReview returned
 * @param extra further attributes a TokenReview returned, passed on to SubjectAccessReviews
 */
record User(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    User {
        requireNonNull(name, "name");
        requireNonNull(uid, "uid");
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    static User of(String name, List<String> groups) {
        return new User(name, "", groups, Map.of());
    }
}

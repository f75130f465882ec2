package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An image present in the runtime's local storage.
 *
 * @param id the runtime's image id (a digest of its configuration)
 * @param repoTags the tags it is known by, e.g. {@code localhost/busybox:latest}; may be empty
 * @param repoDigests the repository digests it is known by; may be empty
 * @param sizeBytes its size on disk
 * @param user the user its processes run as by default ({@code USER}: a name or UID, optionally {@code
 *     :group}); empty for root or when the runtime did not say (listings need not fill it in)
 */
public record ImageInfo(String id, List<String> repoTags, List<String> repoDigests, long sizeBytes, String user) {
    public ImageInfo {
        requireNonNull(id, "id");
        requireNonNull(user, "user");
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }

    /** An image whose default user is not known (as in listings). */
    public ImageInfo(String id, List<String> repoTags, List<String> repoDigests, long sizeBytes) {
        this(id, repoTags, repoDigests, sizeBytes, "");
    }
}

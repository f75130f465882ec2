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
 */
public record ImageInfo(String id, List<String> repoTags, List<String> repoDigests, long sizeBytes) {
    public ImageInfo {
        requireNonNull(id, "id");
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }
}

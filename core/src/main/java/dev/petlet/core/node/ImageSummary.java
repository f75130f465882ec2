package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An image in the runtime's storage, as the node status lists it for the scheduler's image locality scoring.
 *
 * @param names repository digests first, then tags, as the kubelet orders them; may be empty for an untagged image
 * @param sizeBytes its size on disk
 */
public record ImageSummary(List<String> names, long sizeBytes) {
    public ImageSummary {
        names = List.copyOf(requireNonNull(names, "names"));
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must not be negative, got " + sizeBytes);
        }
    }
}

package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

/**
 * An image reference as written in a pod spec, e.g. {@code registry.example/app:1.2}, {@code
 * localhost/busybox:latest} or {@code app@sha256:...}.
 *
 * @param reference the reference; never blank
 */
public record ImageSpec(String reference) {
    public ImageSpec {
        requireNonNull(reference, "reference");
        if (reference.isBlank()) {
            throw new IllegalArgumentException("image reference must not be blank");
        }
    }

    /** Shorthand for {@code new ImageSpec(reference)}. */
    public static ImageSpec of(String reference) {
        return new ImageSpec(reference);
    }

    @Override
    public String toString() {
        return reference;
    }
}

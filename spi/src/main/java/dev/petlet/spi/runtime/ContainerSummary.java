package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * A container as listed by {@link ContainerRuntime#listContainers}: cheap to produce for many containers;
 * {@link ContainerStatus} has exit codes, reasons and times.
 *
 * @param id the runtime's container id
 * @param sandboxId nullable: the id of the sandbox it runs in, or {@code null} for a container outside any
 * @param name the container's name in the pod spec (from {@link RuntimeLabels#CONTAINER_NAME}, else the
 *     runtime's name for it)
 * @param attempt its restart count (from {@link RuntimeLabels#CONTAINER_RESTART_COUNT}, else 0)
 * @param state its lifecycle state
 * @param createdAt when it was created
 * @param image the image reference it was created from
 * @param imageId the id of that image
 * @param labels its labels, including {@link RuntimeLabels}; may include labels inherited from the image
 * @param annotations the annotations it was created with
 */
public record ContainerSummary(
        String id,
        String sandboxId,
        String name,
        int attempt,
        ContainerState state,
        Instant createdAt,
        String image,
        String imageId,
        Map<String, String> labels,
        Map<String, String> annotations) {
    public ContainerSummary {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(state, "state");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(image, "image");
        requireNonNull(imageId, "imageId");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}

package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * The observed state of one container.
 *
 * @param id the runtime's container id
 * @param sandboxId nullable: the id of the sandbox it runs in, or {@code null} for a container outside any
 * @param name the container's name in the pod spec (see {@link ContainerSummary#name()})
 * @param attempt its restart count (see {@link ContainerSummary#attempt()})
 * @param state its lifecycle state
 * @param createdAt when it was created
 * @param startedAt nullable: when its process last started, or {@code null} if it never did
 * @param finishedAt nullable: when its process ended, or {@code null} unless {@link ContainerState#EXITED}
 * @param exitCode nullable: the exit code, set exactly when {@link ContainerState#EXITED}; 128+n for death
 *     by signal n
 * @param reason nullable: why it is in this state, set when {@link ContainerState#EXITED}: {@link
 *     #REASON_COMPLETED}, {@link #REASON_ERROR}, {@link #REASON_OOM_KILLED} or {@link #REASON_START_ERROR}
 * @param message nullable: details for humans, such as why it could not start
 * @param image the image reference it was created from
 * @param imageId the id of that image
 * @param labels its labels, including {@link RuntimeLabels}; may include labels inherited from the image
 * @param annotations the annotations it was created with
 * @param logPath nullable: the file the runtime writes its output to, if it has one
 */
public record ContainerStatus(
        String id,
        String sandboxId,
        String name,
        int attempt,
        ContainerState state,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Integer exitCode,
        String reason,
        String message,
        String image,
        String imageId,
        Map<String, String> labels,
        Map<String, String> annotations,
        String logPath) {
    /** Exited with code 0. */
    public static final String REASON_COMPLETED = "Completed";
    /** Exited with a non-zero code, not because of memory. */
    public static final String REASON_ERROR = "Error";
    /** Killed by the kernel for exceeding its memory limit. */
    public static final String REASON_OOM_KILLED = "OOMKilled";
    /** Could not be started (missing executable, bad mount); the message says why. */
    public static final String REASON_START_ERROR = "StartError";

    public ContainerStatus {
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

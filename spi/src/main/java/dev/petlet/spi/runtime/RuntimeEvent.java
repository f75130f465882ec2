package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * A change the runtime observed, delivered by {@link ContainerRuntime#events}. Events are hints to look
 * again, not state: the core re-reads the status of what an event names, and re-lists everything after
 * (re)subscribing, since events during a gap are lost.
 *
 * @param type what happened
 * @param containerId nullable: the container it happened to; for sandbox events the sandbox's own holder
 *     container if the runtime has one, else {@code null}
 * @param sandboxId nullable: the sandbox involved, or {@code null} if unknown or none
 * @param time when it happened
 * @param exitCode nullable: the exit code, for {@link Type#CONTAINER_DIED}
 * @param labels the container's or sandbox's labels as far as the runtime reports them; may be empty
 */
public record RuntimeEvent(
        Type type, String containerId, String sandboxId, Instant time, Integer exitCode, Map<String, String> labels) {
    /** What happened. */
    public enum Type {
        CONTAINER_CREATED,
        CONTAINER_STARTED,
        /** The container's main process ended. */
        CONTAINER_DIED,
        /** The kernel killed a process in the container for exceeding its memory limit. */
        CONTAINER_OOM,
        CONTAINER_REMOVED,
        /** The sandbox stopped or its namespaces' holder process died: it is no longer ready. */
        SANDBOX_STOPPED,
        SANDBOX_REMOVED
    }

    public RuntimeEvent {
        requireNonNull(type, "type");
        requireNonNull(time, "time");
        labels = Map.copyOf(labels);
    }
}

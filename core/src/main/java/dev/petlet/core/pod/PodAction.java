package dev.petlet.core.pod;

import java.time.Duration;

/** One step a worker pass takes against the runtime; {@link PodActionPlanner} decides them. */
sealed interface PodAction {

    /** Creates (and starts) the pod sandbox, which holds the pod's network namespace. */
    record CreateSandbox(int attempt) implements PodAction {}

    /** Stops the sandbox once no container runs in it; frees the pod IP. */
    record StopSandbox(String sandboxId) implements PodAction {}

    /** Pulls the image if the pull policy says so, then creates and starts the container. */
    record StartContainer(String name, int attempt) implements PodAction {}

    /** Starts a container that was created but never started (the agent stopped in between). */
    record StartCreated(String containerId, String name) implements PodAction {}

    /** Stops a container: SIGTERM, then SIGKILL after the grace period. */
    record KillContainer(String containerId, String name, Duration grace, String why) implements PodAction {}

    /** Removes a dead container the pod no longer needs (older than the previous instance). */
    record RemoveContainer(String containerId, String name) implements PodAction {}
}

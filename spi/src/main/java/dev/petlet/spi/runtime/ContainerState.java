package dev.petlet.spi.runtime;

/** The lifecycle state of a container, as CRI defines it. */
public enum ContainerState {
    /** Created but never started. */
    CREATED,
    /** Its main process is running (paused counts as running). */
    RUNNING,
    /** Its main process has ended, or it failed to start; the exit code and reason say which. */
    EXITED,
    /** The runtime cannot tell. */
    UNKNOWN
}

package dev.petlet.spi.runtime;

/** Whether a pod sandbox can run containers. */
public enum PodSandboxState {
    /** The sandbox's namespaces exist and hold their network: containers can be created and started. */
    READY,
    /** The sandbox is created but not yet running, stopped, or broken; it must be removed and recreated. */
    NOTREADY
}

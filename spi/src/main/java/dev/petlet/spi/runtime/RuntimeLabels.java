package dev.petlet.spi.runtime;

/**
 * Label keys through which pods and containers are recognised in the runtime after an agent restart. A
 * runtime sets them from the structured fields of {@link PodSandboxConfig} and {@link ContainerConfig} (a
 * caller-supplied value under the same key is replaced), and returns them with every summary and status.
 */
public final class RuntimeLabels {
    /** The Kubernetes pod UID; on sandboxes and containers. */
    public static final String POD_UID = "io.petlet.pod.uid";
    /** The pod's namespace; on sandboxes and containers. */
    public static final String POD_NAMESPACE = "io.petlet.pod.namespace";
    /** The pod's name; on sandboxes and containers. */
    public static final String POD_NAME = "io.petlet.pod.name";
    /** The container's name in the pod spec; on containers. */
    public static final String CONTAINER_NAME = "io.petlet.container.name";
    /** How many times this container was restarted before (its attempt number), in decimal; on containers. */
    public static final String CONTAINER_RESTART_COUNT = "io.petlet.container.restart-count";

    private RuntimeLabels() {}
}

package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

/**
 * A bind mount of a host path, prepared by the core (volumes are resolved to host paths before they reach a
 * runtime).
 *
 * @param hostPath the absolute path on the host
 * @param containerPath the absolute path inside the container
 * @param readOnly whether the container may only read it
 */
public record Mount(String hostPath, String containerPath, boolean readOnly) {
    public Mount {
        requireNonNull(hostPath, "hostPath");
        requireNonNull(containerPath, "containerPath");
        if (!hostPath.startsWith("/") || !containerPath.startsWith("/")) {
            throw new IllegalArgumentException("mount paths must be absolute: " + hostPath + " -> " + containerPath);
        }
    }
}

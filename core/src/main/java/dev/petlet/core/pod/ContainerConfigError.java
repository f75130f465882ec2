package dev.petlet.core.pod;

/** A container's spec cannot be turned into a runtime config (kubelet: CreateContainerConfigError). */
final class ContainerConfigError extends Exception {
    private static final long serialVersionUID = 1L;

    ContainerConfigError(String message) {
        super(message);
    }
}

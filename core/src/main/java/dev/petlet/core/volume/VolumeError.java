package dev.petlet.core.volume;

/**
 * A volume cannot be set up or mounted; the message says what is missing, in the kubelet's words
 * (e.g. {@code configmap "y" not found}, {@code hostPath type check failed: /x is not a directory}).
 */
public final class VolumeError extends Exception {
    private static final long serialVersionUID = 1L;

    public VolumeError(String message) {
        super(message);
    }
}

package dev.petlet.core.env;

/**
 * A reference in a pod spec cannot be resolved: a missing secret, configMap or key, an unknown
 * field. The message is the kubelet's, e.g. {@code secret "db" not found} or
 * {@code couldn't find key password in Secret shop/db}.
 */
public final class ReferenceError extends Exception {
    private static final long serialVersionUID = 1L;

    public ReferenceError(String message) {
        super(message);
    }

    static ReferenceError secretNotFound(String name) {
        return new ReferenceError("secret \"" + name + "\" not found");
    }

    static ReferenceError configMapNotFound(String name) {
        return new ReferenceError("configmap \"" + name + "\" not found");
    }
}

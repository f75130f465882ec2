package dev.petlet.core.pod;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** The API objects pod setup reads besides the pod itself; backed by the API client in production. */
public interface ApiObjects {
    /** The secret, or empty if it does not exist (or the node may not read it). */
    Optional<Secret> secret(String namespace, String name);
}

package dev.petlet.core.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Optional;

/**
 * The API objects a pod's environment and volumes refer to. Implementations read them from the
 * API server one object at a time (the Node authorizer allows a node only the secrets and
 * configMaps its pods reference); they may cache. Thread-safe. Failures other than "not found"
 * are thrown as runtime exceptions.
 */
public interface ObjectSource {
    /** The secret, or empty when it does not exist. */
    Optional<Secret> secret(String namespace, String name);

    /** The configMap, or empty when it does not exist. */
    Optional<ConfigMap> configMap(String namespace, String name);

    /** The services of a namespace. */
    List<Service> services(String namespace);
}

package dev.petlet.core.env;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * {@link ObjectSource} by a GET per object (the Node authorizer allows a node only the secrets
 * and configMaps its pods reference, so no list or namespace-wide watch) and a list of services.
 */
public final class ApiObjectSource implements ObjectSource {
    private final KubernetesClient client;

    public ApiObjectSource(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(
                client.secrets().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable(
                client.configMaps().inNamespace(namespace).withName(name).get());
    }

    @Override
    public List<Service> services(String namespace) {
        return client.services().inNamespace(namespace).list().getItems();
    }
}

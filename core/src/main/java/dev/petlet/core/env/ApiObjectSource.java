package dev.petlet.core.env;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@link ObjectSource} by a GET per object (the Node authorizer allows a node only the secrets
 * and configMaps its pods reference, so no list or namespace-wide watch) and a list of services
 * per namespace. Answers are kept for a few seconds, as the kubelet's TTL cache does, so that
 * pods sharing an object (every pod's {@code kube-root-ca.crt}) cost one request between them.
 */
public final class ApiObjectSource implements ObjectSource {
    static final Duration TTL = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final Cache<Key, Object> answers =
            Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(10_000).build();

    public ApiObjectSource(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Secret> secret(String namespace, String name) {
        return (Optional<Secret>) answers.get(
                new Key("secret", namespace, name),
                key -> Optional.ofNullable(
                        client.secrets().inNamespace(namespace).withName(name).get()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return (Optional<ConfigMap>) answers.get(
                new Key("configmap", namespace, name),
                key -> Optional.ofNullable(client.configMaps()
                        .inNamespace(namespace)
                        .withName(name)
                        .get()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Service> services(String namespace) {
        return (List<Service>) answers.get(
                new Key("services", namespace, ""),
                key -> List.copyOf(
                        client.services().inNamespace(namespace).list().getItems()));
    }

    private record Key(String kind, String namespace, String name) {}
}

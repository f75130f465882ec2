package dev.petlet.core.volume;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link TokenSource} through the TokenRequest API, each token bound to its pod as the kubelet binds it. */
public final class ApiTokenSource implements TokenSource {
    private final KubernetesClient client;

    public ApiTokenSource(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    @Override
    public IssuedToken request(
            String namespace,
            String serviceAccount,
            Optional<String> audience,
            long expirationSeconds,
            String podName,
            String podUid) {
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(audience.map(List::of).orElse(List.of()))
                .withExpirationSeconds(expirationSeconds)
                .withNewBoundObjectRef()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(podName)
                .withUid(podUid)
                .endBoundObjectRef()
                .endSpec()
                .build();
        TokenRequest issued = client.serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(request);
        long granted =
                Optional.ofNullable(issued.getSpec().getExpirationSeconds()).orElse(expirationSeconds);
        return new IssuedToken(
                issued.getStatus().getToken(), Instant.parse(issued.getStatus().getExpirationTimestamp()), granted);
    }
}

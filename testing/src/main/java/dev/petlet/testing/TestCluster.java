package dev.petlet.testing;

import static java.util.Objects.requireNonNull;

import dev.petlet.sandbox.Sandbox;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * The sandbox cluster an E2E test runs against, shared by all E2E classes of one run.
 *
 * @param sandbox the running sandbox
 * @param client an administrator's client; shared, do not close it
 * @param kubeconfig the administrator's kubeconfig, for the real {@code kubectl}
 */
public record TestCluster(Sandbox sandbox, KubernetesClient client, Path kubeconfig) {
    public TestCluster {
        requireNonNull(sandbox, "sandbox");
        requireNonNull(client, "client");
        requireNonNull(kubeconfig, "kubeconfig");
    }

    public Kubectl kubectl() {
        return new Kubectl(kubeconfig);
    }
}

package dev.petlet.testing;

import static java.util.Objects.requireNonNull;

import dev.petlet.sandbox.Sandbox;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The sandbox cluster an E2E test runs against, shared by all E2E classes of one run.
 *
 * @param sandbox the running sandbox
 * @param client an administrator's client; shared, do not close it
 * @param kubeconfig the administrator's kubeconfig, for the real {@code kubectl}
 * @param nodeName the name of this machine's node in the cluster
 * @param distributionNode the node agent as a process from the distribution, when the run uses one ({@code
 *     -Dpetlet.e2e.node=distribution}); empty when the sandbox runs the agent in-process
 */
public record TestCluster(
        Sandbox sandbox,
        KubernetesClient client,
        Path kubeconfig,
        String nodeName,
        Optional<DistributionNode> distributionNode) {
    public TestCluster {
        requireNonNull(sandbox, "sandbox");
        requireNonNull(client, "client");
        requireNonNull(kubeconfig, "kubeconfig");
        requireNonNull(nodeName, "nodeName");
        requireNonNull(distributionNode, "distributionNode");
    }

    public Kubectl kubectl() {
        return new Kubectl(kubeconfig);
    }
}

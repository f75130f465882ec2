package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.env.PodFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The node's view of a pod for downward API references: host IP, the pod's IPs from its ready
 * sandbox, the node's allocatable resources (read from the Node, cached for a minute), and the
 * API server address pods are told to use.
 */
final class PodFactsSource implements Function<Pod, PodFacts> {
    private final KubernetesClient client;
    private final String nodeName;
    private final String nodeIp;
    private final Optional<PodFacts.ApiServerAddress> apiServer;
    private final Clock clock;
    private final SandboxAddresses addresses;
    private volatile Map<String, Quantity> allocatable = Map.of();
    private volatile Instant allocatableAt = Instant.MIN;

    /** @param addresses what the pod workers last saw of each pod's sandbox */
    PodFactsSource(
            KubernetesClient client,
            String nodeName,
            String nodeIp,
            Optional<PodFacts.ApiServerAddress> apiServer,
            Clock clock,
            SandboxAddresses addresses) {
        this.client = requireNonNull(client, "client");
        this.nodeName = requireNonNull(nodeName, "nodeName");
        this.nodeIp = requireNonNull(nodeIp, "nodeIp");
        this.apiServer = requireNonNull(apiServer, "apiServer");
        this.clock = requireNonNull(clock, "clock");
        this.addresses = requireNonNull(addresses, "addresses");
    }

    @Override
    public PodFacts apply(Pod pod) {
        return new PodFacts(List.of(nodeIp), podIps(pod), allocatable(), apiServer);
    }

    /**
     * As the pod's worker last saw its ready sandbox (each pass observes the pod before it sets up volumes
     * or starts containers); none yet: the variable comes out empty, as it does for the kubelet before the
     * sandbox has one.
     */
    private List<String> podIps(Pod pod) {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return List.of(nodeIp);
        }
        return addresses.of(pod.getMetadata().getUid()).orElse(List.of());
    }

    private Map<String, Quantity> allocatable() {
        Instant now = clock.instant();
        if (now.isAfter(allocatableAt.plusSeconds(60))) {
            try {
                Node node = client.nodes().withName(nodeName).get();
                if (node != null && node.getStatus() != null && node.getStatus().getAllocatable() != null) {
                    allocatable = Map.copyOf(node.getStatus().getAllocatable());
                    allocatableAt = now;
                }
            } catch (RuntimeException e) {
                // keep the last known values; the next call tries again
            }
        }
        return allocatable;
    }
}

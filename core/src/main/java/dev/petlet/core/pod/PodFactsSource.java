package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.env.PodFacts;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.RuntimeLabels;
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
    private final ContainerRuntime runtime;
    private final KubernetesClient client;
    private final String nodeName;
    private final String nodeIp;
    private final Map<String, String> agentLabels;
    private final Optional<PodFacts.ApiServerAddress> apiServer;
    private final Clock clock;
    private final SandboxAddresses addresses;
    private volatile Map<String, Quantity> allocatable = Map.of();
    private volatile Instant allocatableAt = Instant.MIN;

    /** @param addresses what the pod workers last saw of each pod's sandbox, asked before the runtime */
    PodFactsSource(
            ContainerRuntime runtime,
            KubernetesClient client,
            String nodeName,
            String nodeIp,
            Map<String, String> agentLabels,
            Optional<PodFacts.ApiServerAddress> apiServer,
            Clock clock,
            SandboxAddresses addresses) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.client = requireNonNull(client, "client");
        this.nodeName = requireNonNull(nodeName, "nodeName");
        this.nodeIp = requireNonNull(nodeIp, "nodeIp");
        this.agentLabels = Map.copyOf(agentLabels);
        this.apiServer = requireNonNull(apiServer, "apiServer");
        this.clock = requireNonNull(clock, "clock");
        this.addresses = requireNonNull(addresses, "addresses");
    }

    @Override
    public PodFacts apply(Pod pod) {
        return new PodFacts(List.of(nodeIp), podIps(pod), allocatable(), apiServer);
    }

    private List<String> podIps(Pod pod) {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return List.of(nodeIp);
        }
        Optional<List<String>> known = addresses.of(pod.getMetadata().getUid());
        if (known.isPresent()) {
            return known.get();
        }
        try {
            Map<String, String> labels = new java.util.HashMap<>(agentLabels);
            labels.put(RuntimeLabels.POD_UID, pod.getMetadata().getUid());
            for (var summary : runtime.listPodSandboxes(PodSandboxFilter.withLabels(labels))) {
                var status = runtime.podSandboxStatus(summary.id());
                if (status.state() == PodSandboxState.READY
                        && !status.ipAddresses().isEmpty()) {
                    return status.ipAddresses();
                }
            }
        } catch (ProviderException e) {
            // no IP yet: the variable comes out empty, as it does for the kubelet before the sandbox has one
        }
        return List.of();
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

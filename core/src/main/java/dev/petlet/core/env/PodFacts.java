package dev.petlet.core.env;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the node knows about a pod beyond its spec, for downward API references.
 *
 * @param hostIPs the node's addresses, primary first
 * @param podIPs the pod's addresses, primary first; empty before its sandbox has one
 * @param nodeAllocatable the node's allocatable resources, the value of a limit a container does not set
 * @param apiServer where a pod reaches the API server, for the {@code kubernetes} service's variables; empty
 *     to use the service's cluster IP as the kubelet does
 */
public record PodFacts(
        List<String> hostIPs,
        List<String> podIPs,
        Map<String, Quantity> nodeAllocatable,
        Optional<ApiServerAddress> apiServer) {
    public PodFacts {
        hostIPs = List.copyOf(hostIPs);
        podIPs = List.copyOf(podIPs);
        nodeAllocatable = Map.copyOf(nodeAllocatable);
        requireNonNull(apiServer, "apiServer");
    }

    /** A host and port pods can reach the API server on. */
    public record ApiServerAddress(String host, int port) {
        public ApiServerAddress {
            requireNonNull(host, "host");
        }
    }
}

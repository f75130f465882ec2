package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How this node presents itself to the cluster: fixed for the life of the process.
 *
 * @param nodeName the Node's name; must match the client certificate's {@code system:node:<name>}
 * @param hostname the {@code Hostname} address and the {@code kubernetes.io/hostname} label
 * @param labels labels from the configuration, on top of the ones petlet sets itself
 * @param taints taints the Node is registered with
 * @param internalIP the {@code InternalIP} address: where the API server reaches the kubelet port
 * @param externalIP an {@code ExternalIP} address, if the machine has one worth advertising
 * @param kubeletPort the port of petlet's kubelet API ({@code daemonEndpoints.kubeletEndpoint.Port})
 * @param maxPods the {@code pods} capacity
 * @param kubeletVersion {@code nodeInfo.kubeletVersion}, see {@link #kubeletVersion(String, String)}
 * @param reserved resources held back from pods, by resource name ({@code cpu}, {@code memory},
 *     {@code ephemeral-storage}) as Kubernetes quantities; allocatable is capacity minus these
 * @param heartbeats how often status and Lease are refreshed
 */
public record NodeSettings(
        String nodeName,
        String hostname,
        Map<String, String> labels,
        List<NodeTaint> taints,
        String internalIP,
        Optional<String> externalIP,
        int kubeletPort,
        int maxPods,
        String kubeletVersion,
        Map<String, String> reserved,
        Heartbeats heartbeats) {

    public static final int DEFAULT_KUBELET_PORT = 10250;
    public static final int DEFAULT_MAX_PODS = 110;

    public NodeSettings {
        requireNonNull(nodeName, "nodeName");
        requireNonNull(hostname, "hostname");
        labels = Map.copyOf(requireNonNull(labels, "labels"));
        taints = List.copyOf(requireNonNull(taints, "taints"));
        requireNonNull(internalIP, "internalIP");
        requireNonNull(externalIP, "externalIP");
        requireNonNull(kubeletVersion, "kubeletVersion");
        reserved = Map.copyOf(requireNonNull(reserved, "reserved"));
        requireNonNull(heartbeats, "heartbeats");
        if (nodeName.isEmpty()) {
            throw new IllegalArgumentException("nodeName must not be empty");
        }
        if (kubeletPort < 1 || kubeletPort > 65535) {
            throw new IllegalArgumentException("kubeletPort must be between 1 and 65535, got " + kubeletPort);
        }
        if (maxPods < 1) {
            throw new IllegalArgumentException("maxPods must be at least 1, got " + maxPods);
        }
        for (String key : labels.keySet()) {
            NodeLabelPolicy.forbiddenReason(key).ifPresent(reason -> {
                throw new IllegalArgumentException("label " + key + ": " + reason);
            });
        }
        for (Map.Entry<String, String> entry : reserved.entrySet()) {
            try {
                Quantity.getAmountInBytes(new Quantity(entry.getValue()));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException(
                        "reserved " + entry.getKey() + ": '" + entry.getValue() + "' is not a Kubernetes quantity", e);
            }
        }
    }

    /**
     * The version petlet reports as its kubelet version: the Kubernetes version it implements, with petlet's own
     * as semver build metadata, e.g. {@code v1.33.13+petlet.0.1.0}. Tools that compare versions see 1.33.13.
     */
    public static String kubeletVersion(String kubernetesVersion, String petletVersion) {
        requireNonNull(kubernetesVersion, "kubernetesVersion");
        requireNonNull(petletVersion, "petletVersion");
        String version = kubernetesVersion.startsWith("v") ? kubernetesVersion : "v" + kubernetesVersion;
        return version + "+petlet." + petletVersion;
    }
}

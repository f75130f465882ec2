package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * Which labels a node may put on its own Node. The NodeRestriction admission plugin refuses the whole
 * registration if a node sets a label under {@code node-restriction.kubernetes.io/}, or any {@code kubernetes.io}
 * or {@code k8s.io} label outside the kubelet's own set, so petlet rejects such labels in its configuration with
 * advice instead of failing at the API server.
 */
public final class NodeLabelPolicy {
    /** The labels petlet sets itself; a configuration may not override them. */
    public static final String HOSTNAME = "kubernetes.io/hostname";

    public static final String OS = "kubernetes.io/os";
    public static final String ARCH = "kubernetes.io/arch";

    /** The kubernetes.io labels a kubelet may set ({@code pkg/kubelet/apis/well_known_labels.go}). */
    private static final Set<String> KUBELET_LABELS = Set.of(
            HOSTNAME,
            OS,
            ARCH,
            "beta.kubernetes.io/os",
            "beta.kubernetes.io/arch",
            "topology.kubernetes.io/zone",
            "topology.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/zone",
            "failure-domain.beta.kubernetes.io/region",
            "failure-domain.kubernetes.io/zone",
            "failure-domain.kubernetes.io/region",
            "beta.kubernetes.io/instance-type",
            "kubernetes.io/instance-type",
            "node.kubernetes.io/instance-type");

    private static final Set<String> KUBELET_LABEL_NAMESPACES = Set.of("kubelet.kubernetes.io", "node.kubernetes.io");
    private static final String NODE_RESTRICTION_NAMESPACE = "node-restriction.kubernetes.io";

    private NodeLabelPolicy() {}

    /**
     * Why a node may not set this label on itself, as a sentence with what to do instead; empty if it may. The
     * label's syntax is not checked here.
     */
    public static Optional<String> forbiddenReason(String key) {
        requireNonNull(key, "key");
        if (key.equals(HOSTNAME) || key.equals(OS) || key.equals(ARCH)) {
            return Optional.of("petlet sets " + key + " itself"
                    + (key.equals(HOSTNAME) ? " from nodeName" : " from this machine") + "; remove it");
        }
        int slash = key.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String namespace = key.substring(0, slash);
        if (inNamespace(namespace, NODE_RESTRICTION_NAMESPACE)) {
            return Optional.of("NodeRestriction forbids nodes to set labels under " + namespace
                    + "/, which exist for administrators to steer workloads; set it with kubectl label instead");
        }
        boolean kubernetesLabel = inNamespace(namespace, "kubernetes.io") || inNamespace(namespace, "k8s.io");
        boolean kubeletLabel = KUBELET_LABELS.contains(key)
                || KUBELET_LABEL_NAMESPACES.stream().anyMatch(allowed -> inNamespace(namespace, allowed));
        if (kubernetesLabel && !kubeletLabel) {
            return Optional.of("NodeRestriction forbids nodes to set labels under " + namespace
                    + "/; set it with kubectl label instead");
        }
        return Optional.empty();
    }

    private static boolean inNamespace(String namespace, String parent) {
        return namespace.equals(parent) || namespace.endsWith("." + parent);
    }
}

package dev.petlet.core.pod;

import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/** The kubelet-managed {@code /etc/hosts} of a pod ({@code managedHostsFileContent}). Pure. */
final class HostsFile {
    static final String HEADER = "# Kubernetes-managed hosts file.\n";
    static final int MAX_HOSTNAME = 63;

    private HostsFile() {}

    /** The pod's hostname: {@code spec.hostname}, else its name, cut to 63 characters. */
    static String hostname(Pod pod) {
        String hostname = Optional.ofNullable(pod.getSpec().getHostname())
                .filter(h -> !h.isEmpty())
                .orElse(pod.getMetadata().getName());
        return hostname.length() > MAX_HOSTNAME ? hostname.substring(0, MAX_HOSTNAME) : hostname;
    }

    /**
     * The sandbox's hostname: {@link #hostname}, or with {@code setHostnameAsFQDN} and a subdomain the FQDN.
     *
     * @throws IllegalArgumentException if that FQDN is longer than the kernel's 64 characters
     */
    static String sandboxHostname(Pod pod, String clusterDomain) {
        String hostname = hostname(pod);
        Optional<String> domain = domain(pod, clusterDomain);
        if (!Boolean.TRUE.equals(pod.getSpec().getSetHostnameAsFQDN()) || domain.isEmpty()) {
            return hostname;
        }
        String fqdn = hostname + "." + domain.get();
        if (fqdn.length() > 64) {
            throw new IllegalArgumentException("failed to construct FQDN from pod hostname and cluster domain, FQDN "
                    + fqdn + " is too long (64 characters is the max, " + fqdn.length() + " characters requested)");
        }
        return fqdn;
    }

    /** {@code <subdomain>.<namespace>.svc.<clusterDomain>}, or empty without a subdomain. */
    static Optional<String> domain(Pod pod, String clusterDomain) {
        return Optional.ofNullable(pod.getSpec().getSubdomain())
                .filter(s -> !s.isEmpty())
                .map(s -> s + "." + pod.getMetadata().getNamespace() + ".svc." + clusterDomain);
    }

    /** The hosts file of a pod with its own network namespace. */
    static String forPod(Pod pod, List<String> podIps, String clusterDomain) {
        StringBuilder text = new StringBuilder(HEADER)
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::0\tip6-localnet\n")
                .append("fe00::0\tip6-mcastprefix\n")
                .append("fe00::1\tip6-allnodes\n")
                .append("fe00::2\tip6-allrouters\n");
        String hostname = hostname(pod);
        Optional<String> domain = domain(pod, clusterDomain);
        for (String ip : podIps) {
            text.append(ip).append('\t');
            domain.ifPresent(d -> text.append(hostname).append('.').append(d).append('\t'));
            text.append(hostname).append('\n');
        }
        return text.append(aliases(pod)).toString();
    }

    /** The hosts file of a host-network pod: the node's, plus the pod's aliases. */
    static String forHostNetwork(Pod pod, String nodeHostsFile) {
        return nodeHostsFile + aliases(pod);
    }

    private static String aliases(Pod pod) {
        List<HostAlias> aliases =
                Optional.ofNullable(pod.getSpec().getHostAliases()).orElse(List.of());
        if (aliases.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("\n# Entries added by HostAliases.\n");
        for (HostAlias alias : aliases) {
            text.append(alias.getIp())
                    .append('\t')
                    .append(String.join(
                            "\t", Optional.ofNullable(alias.getHostnames()).orElse(List.of())))
                    .append('\n');
        }
        return text.toString();
    }
}

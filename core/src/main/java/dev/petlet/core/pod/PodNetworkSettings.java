package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * What pods' DNS and hosts files are made from.
 *
 * @param clusterDNS the cluster DNS server addresses for {@code dnsPolicy: ClusterFirst}; empty means none,
 *     and such pods fall back to {@code Default} with a warning event, as the kubelet's do
 * @param clusterDomain the cluster's DNS domain, e.g. {@code cluster.local}
 * @param hostResolvConf the node's resolver configuration, for {@code dnsPolicy: Default} (the kubelet's
 *     {@code resolvConf})
 * @param hostHostsFile the node's hosts file, which host-network pods see
 */
public record PodNetworkSettings(
        List<String> clusterDNS, String clusterDomain, Path hostResolvConf, Path hostHostsFile) {
    /** No cluster DNS, domain {@code cluster.local}, the node's {@code /etc} files. */
    public static final PodNetworkSettings DEFAULT =
            new PodNetworkSettings(List.of(), "cluster.local", Path.of("/etc/resolv.conf"), Path.of("/etc/hosts"));

    public PodNetworkSettings {
        clusterDNS = List.copyOf(clusterDNS);
        requireNonNull(clusterDomain, "clusterDomain");
        requireNonNull(hostResolvConf, "hostResolvConf");
        requireNonNull(hostHostsFile, "hostHostsFile");
    }
}

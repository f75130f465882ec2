package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files the kubelet makes for a pod besides its volumes: the managed {@code /etc/hosts} and the {@code
 * resolv.conf} mounted into every container, and the {@code fsGroup} ownership of its emptyDir volumes.
 */
final class PodSandboxFiles {
    private final PodDirectories directories;
    private final PodNetworkSettings network;
    private final PodDns dns;

    PodSandboxFiles(PodDirectories directories, PodNetworkSettings network) {
        this.directories = requireNonNull(directories, "directories");
        this.network = requireNonNull(network, "network");
        this.dns = new PodDns(network.clusterDNS(), network.clusterDomain());
    }

    /** The pod's hostname, its FQDN with {@code setHostnameAsFQDN}. */
    String sandboxHostname(Pod pod) {
        return HostsFile.sandboxHostname(pod, network.clusterDomain());
    }

    /**
     * Writes the pod's hosts file and resolv.conf.
     *
     * @param podIps the sandbox's addresses, for the pod's own line in the hosts file
     * @return the MissingClusterDNS warning, if the pod fell back to the node's resolver
     */
    Optional<String> write(Pod pod, List<String> podIps) throws IOException {
        String uid = pod.getMetadata().getUid();
        Files.createDirectories(directories.pod(uid));
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        String hosts = hostNetwork
                ? HostsFile.forHostNetwork(pod, readOrEmpty(network.hostHostsFile()))
                : HostsFile.forPod(pod, podIps, network.clusterDomain());
        writeReadable(directories.etcHosts(uid), hosts);
        PodDns.Result resolver = dns.configure(pod, readOrEmpty(network.hostResolvConf()));
        writeReadable(directories.resolvConf(uid), PodDns.resolvConf(resolver.config()));
        return resolver.missingClusterDns();
    }

    /**
     * Gives the pod's fsGroup the emptyDir directories, as the kubelet's {@code SetVolumeOwnership} does:
     * group-owned, group-writable and set-group-ID so new files inherit the group.
     */
    void applyFsGroup(Pod pod, Map<String, Path> volumeHostPaths) throws IOException {
        Optional<Long> fsGroup = SecurityContexts.fsGroup(pod);
        if (fsGroup.isEmpty()) {
            return;
        }
        for (Volume volume : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
            Path path = volumeHostPaths.get(volume.getName());
            if (volume.getEmptyDir() == null || path == null || !Files.isDirectory(path)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(path)) {
                for (Path entry : (Iterable<Path>) tree::iterator) {
                    Files.setAttribute(entry, "unix:gid", fsGroup.get().intValue());
                    Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(entry));
                    permissions.add(PosixFilePermission.GROUP_READ);
                    permissions.add(PosixFilePermission.GROUP_WRITE);
                    if (Files.isDirectory(entry)) {
                        permissions.add(PosixFilePermission.GROUP_EXECUTE);
                    }
                    Files.setPosixFilePermissions(entry, permissions);
                    if (Files.isDirectory(entry)) {
                        Files.setAttribute(entry, "unix:mode", (int) Files.getAttribute(entry, "unix:mode") | 02000);
                    }
                }
            }
        }
    }

    private static String readOrEmpty(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void writeReadable(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.setPosixFilePermissions(temporary, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(
                temporary,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}

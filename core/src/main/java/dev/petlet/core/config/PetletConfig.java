package dev.petlet.core.config;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.node.Heartbeats;
import dev.petlet.core.node.NodeSettings;
import dev.petlet.core.node.NodeTaint;
import dev.petlet.core.pod.PodNetworkSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * petlet's configuration, from one YAML file (see {@code conf/petlet.yaml} in the distribution for every key).
 *
 * @param nodeName the Node's name; default the host name, lower-cased
 * @param kubeconfig the kubeconfig with the node's credentials, if set
 * @param stateDir where petlet keeps its state; default {@code /var/lib/petlet}
 * @param kubeletPort the kubelet API port; default 10250
 * @param labels extra Node labels
 * @param taints taints the Node is registered with
 * @param nodeIP the InternalIP address; default the IPv4 address of the default route's interface
 * @param externalIP an ExternalIP address, if set
 * @param maxPods the pods capacity; default 110
 * @param clusterDNS the cluster DNS server addresses written into pods' resolv.conf
 * @param clusterDomain the cluster's DNS domain; default {@code cluster.local}
 * @param runtime the container runtime provider and its settings
 * @param reserved resources held back from pods ({@code cpu}, {@code memory}, {@code ephemeral-storage})
 * @param statusUpdateFrequency how often the node status is recomputed; default 10 s
 * @param statusReportFrequency how long an unchanged status may go unreported; default 5 min, or {@code
 *     statusUpdateFrequency} when only that is set, as the kubelet does
 * @param volumeDrivers the volume driver providers (e.g. {@code nfs}) and their settings; default none
 * @param bootstrapKubeconfig the kubeconfig that requests a new client certificate when the node's is missing or
 *     expired (TLS bootstrap), if set
 * @param rotateCertificates whether the client certificate is kept in {@code stateDir/pki} and renewed through
 *     CSRs before it expires, as the kubelet's {@code rotateCertificates}
 * @param serverTLSBootstrap whether the kubelet API's serving certificate comes from a {@code kubelet-serving} CSR
 *     (self-signed until one is approved), as the kubelet's {@code serverTLSBootstrap}
 */
public record PetletConfig(
        String nodeName,
        Optional<Path> kubeconfig,
        Path stateDir,
        int kubeletPort,
        Map<String, String> labels,
        List<NodeTaint> taints,
        String nodeIP,
        Optional<String> externalIP,
        int maxPods,
        List<String> clusterDNS,
        String clusterDomain,
        RuntimeSelection runtime,
        Map<String, String> reserved,
        Duration statusUpdateFrequency,
        Duration statusReportFrequency,
        List<VolumeDriverSelection> volumeDrivers,

        Optional<Path> bootstrapKubeconfig,
        boolean rotateCertificates,
        boolean serverTLSBootstrap) {

    public PetletConfig {
        requireNonNull(nodeName, "nodeName");
        requireNonNull(kubeconfig, "kubeconfig");
        requireNonNull(stateDir, "stateDir");
        labels = Map.copyOf(requireNonNull(labels, "labels"));
        taints = List.copyOf(requireNonNull(taints, "taints"));
        requireNonNull(nodeIP, "nodeIP");
        requireNonNull(externalIP, "externalIP");
        clusterDNS = List.copyOf(requireNonNull(clusterDNS, "clusterDNS"));
        requireNonNull(clusterDomain, "clusterDomain");
        requireNonNull(runtime, "runtime");
        reserved = Map.copyOf(requireNonNull(reserved, "reserved"));
        requireNonNull(statusUpdateFrequency, "statusUpdateFrequency");
        requireNonNull(statusReportFrequency, "statusReportFrequency");
        volumeDrivers = List.copyOf(requireNonNull(volumeDrivers, "volumeDrivers"));
        requireNonNull(bootstrapKubeconfig, "bootstrapKubeconfig");
    }

    /**
     * Reads and validates the file, with this machine's host name and address as defaults.
     *
     * @throws ConfigException listing every problem, with its key path
     */
    public static PetletConfig load(Path file) throws ConfigException {
        return load(file, HostDefaults.system());
    }

    /** Reads and validates the file; relative paths in it are relative to the file's directory. */
    public static PetletConfig load(Path file, HostDefaults host) throws ConfigException {
        requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("the configuration file does not exist"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read the configuration file: " + e));
        }
        Path directory = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), directory, host);
    }

    /**
     * Parses YAML text.
     *
     * @param source what to call the text in messages, e.g. the file name
     * @param baseDirectory what relative paths are relative to
     */
    public static PetletConfig parse(String yaml, String source, Path baseDirectory, HostDefaults host)
            throws ConfigException {
        return new ConfigParser(source, baseDirectory, host).parse(yaml);
    }

    /** What pods' resolv.conf and hosts files are made from: the cluster DNS and domain, the node's files. */
    public PodNetworkSettings podNetworkSettings() {
        return new PodNetworkSettings(
                clusterDNS,
                clusterDomain,
                PodNetworkSettings.DEFAULT.hostResolvConf(),
                PodNetworkSettings.DEFAULT.hostHostsFile());
    }

    /** The node's side of the configuration, reporting {@link NodeSettings#kubeletVersion(String, String)}. */
    public NodeSettings nodeSettings(String kubernetesVersion, String petletVersion) {
        return new NodeSettings(
                nodeName,
                nodeName,
                labels,
                taints,
                nodeIP,
                externalIP,
                kubeletPort,
                maxPods,
                NodeSettings.kubeletVersion(kubernetesVersion, petletVersion),
                reserved,
                new Heartbeats(
                        statusUpdateFrequency,
                        statusReportFrequency,
                        Heartbeats.DEFAULT.leaseDuration(),
                        Heartbeats.DEFAULT.leaseRenewInterval()));
    }
}

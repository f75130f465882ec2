package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pod sandbox (the shared network, IPC and UTS namespaces of a pod) is created from.
 *
 * @param podUid the Kubernetes pod UID
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param attempt how many sandboxes were created for this pod before; a new sandbox for the same pod gets a
 *     higher attempt, so names never collide with a sandbox that is still being torn down
 * @param hostname the hostname inside the pod; a host-network pod has the host's UTS namespace and hostname
 * @param labels labels to put on the sandbox (see {@link RuntimeLabels} for the ones the runtime adds)
 * @param annotations opaque key-value metadata returned unchanged by status calls
 * @param portMappings host ports to forward into the pod
 * @param dns nullable: the resolver configuration, or {@code null} to use the runtime's default
 * @param hostNetwork whether the pod uses the host's network namespace instead of its own
 * @param linux the other namespaces and the sysctls
 */
public record PodSandboxConfig(
        String podUid,
        String namespace,
        String name,
        int attempt,
        String hostname,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<PortMapping> portMappings,
        DnsConfig dns,
        boolean hostNetwork,
        LinuxSandboxOptions linux) {
    public PodSandboxConfig {
        requireNonNull(linux, "linux");
        requireNonNull(podUid, "podUid");
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        requireNonNull(hostname, "hostname");
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
        }
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        portMappings = List.copyOf(portMappings);
    }

    /** Starts a builder for a sandbox of the given pod, with the hostname defaulting to the pod's name. */
    public static Builder builder(String podUid, String namespace, String name) {
        return new Builder(podUid, namespace, name);
    }

    /** Builds {@link PodSandboxConfig}s; not thread-safe. */
    public static final class Builder {
        private final String podUid;
        private final String namespace;
        private final String name;
        private int attempt;
        private String hostname;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private final List<PortMapping> portMappings = new ArrayList<>();
        private DnsConfig dns;
        private boolean hostNetwork;
        private LinuxSandboxOptions linux = LinuxSandboxOptions.DEFAULT;

        private Builder(String podUid, String namespace, String name) {
            this.podUid = requireNonNull(podUid, "podUid");
            this.namespace = requireNonNull(namespace, "namespace");
            this.name = requireNonNull(name, "name");
            this.hostname = name;
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder hostname(String hostname) {
            this.hostname = requireNonNull(hostname, "hostname");
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels.putAll(labels);
            return this;
        }

        public Builder annotation(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        public Builder annotations(Map<String, String> annotations) {
            this.annotations.putAll(annotations);
            return this;
        }

        public Builder portMapping(PortMapping portMapping) {
            portMappings.add(requireNonNull(portMapping, "portMapping"));
            return this;
        }

        public Builder dns(DnsConfig dns) {
            this.dns = dns;
            return this;
        }

        public Builder hostNetwork(boolean hostNetwork) {
            this.hostNetwork = hostNetwork;
            return this;
        }

        public Builder linux(LinuxSandboxOptions linux) {
            this.linux = requireNonNull(linux, "linux");
            return this;
        }

        public PodSandboxConfig build() {
            return new PodSandboxConfig(
                    podUid,
                    namespace,
                    name,
                    attempt,
                    hostname,
                    labels,
                    annotations,
                    portMappings,
                    dns,
                    hostNetwork,
                    linux);
        }
    }
}

package dev.petlet.sandbox;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * How the sandbox runs this machine as its node.
 *
 * @param runtime the container runtime provider's name, e.g. {@code podman}
 * @param runtimeConfig the provider's configuration, e.g. {@code socket}
 * @param drainTimeout how long stopping waits for the node's pods to finish before removing them
 * @param kubeletPort the port of the node's kubelet API (10250 by default; another one lets two
 *     sandboxes run on one machine)
 * @param volumeDrivers the volume driver providers to load (e.g. {@code nfs}), with their configuration
 */
public record SandboxNode(
        String runtime,
        Map<String, String> runtimeConfig,
        Duration drainTimeout,
        int kubeletPort,
        Map<String, Map<String, String>> volumeDrivers) {
    /** Podman on its default socket. */
    public static final SandboxNode PODMAN = new SandboxNode("podman", Map.of(), Duration.ofSeconds(60), 10250);

    public SandboxNode {
        requireNonNull(runtime, "runtime");
        runtimeConfig = Map.copyOf(runtimeConfig);
        requireNonNull(drainTimeout, "drainTimeout");
        volumeDrivers = Map.copyOf(volumeDrivers);
    }

    /** Without volume drivers. */
    public SandboxNode(String runtime, Map<String, String> runtimeConfig, Duration drainTimeout, int kubeletPort) {
        this(runtime, runtimeConfig, drainTimeout, kubeletPort, Map.of());
    }
}

package dev.petlet.provider.podman;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Podman runtime's configuration.
 *
 * @param socket the Podman API socket ({@code socket}, default {@value #DEFAULT_SOCKET})
 * @param insecureRegistries registries ({@code host} or {@code host:port}) to pull from over plain HTTP or
 *     without verifying TLS ({@code insecure-registries}, comma-separated, default none)
 * @param sandboxStarts how many pod sandboxes are created and started at once ({@code sandbox-starts}, default
 *     twice the processors, at least 2): Podman sets up a pod's network, conmon and runtime for each, and many
 *     at once only contend (a hundred at once on 2 cores took twice as long per pod, and every pod waited for
 *     all sandboxes before its containers started)
 */
record PodmanConfig(Path socket, Set<String> insecureRegistries, int sandboxStarts) {
    static final String SOCKET = "socket";
    static final String INSECURE_REGISTRIES = "insecure-registries";
    static final String SANDBOX_STARTS = "sandbox-starts";
    static final String DEFAULT_SOCKET = "/run/podman/podman.sock";
    private static final Set<String> KEYS = Set.of(SOCKET, INSECURE_REGISTRIES, SANDBOX_STARTS);

    static int defaultSandboxStarts() {
        return Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    }

    PodmanConfig {
        insecureRegistries = Set.copyOf(insecureRegistries);
    }

    static PodmanConfig parse(Map<String, String> config) throws ProviderException {
        for (String key : config.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ProviderException(
                        ErrorCode.INVALID,
                        "unknown configuration key '" + key + "' for the podman runtime; known keys: "
                                + new TreeSet<>(KEYS));
            }
        }
        String socket = config.getOrDefault(SOCKET, DEFAULT_SOCKET).trim();
        if (!socket.startsWith("/")) {
            throw new ProviderException(
                    ErrorCode.INVALID,
                    "podman runtime: '" + SOCKET + "' must be an absolute path, was '" + socket + "'");
        }
        Set<String> insecure = Arrays.stream(
                        config.getOrDefault(INSECURE_REGISTRIES, "").split(","))
                .map(String::trim)
                .filter(registry -> !registry.isEmpty())
                .collect(Collectors.toSet());
        int sandboxStarts = defaultSandboxStarts();
        String starts = config.getOrDefault(SANDBOX_STARTS, "").trim();
        if (!starts.isEmpty()) {
            try {
                sandboxStarts = Integer.parseInt(starts);
            } catch (NumberFormatException e) {
                sandboxStarts = 0;
            }
            if (sandboxStarts < 1) {
                throw new ProviderException(
                        ErrorCode.INVALID,
                        "podman runtime: '" + SANDBOX_STARTS + "' must be a whole number from 1 up, was '" + starts
                                + "'");
            }
        }
        return new PodmanConfig(Path.of(socket), insecure, sandboxStarts);
    }
}

package dev.petlet.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Which container runtime provider to load, and the settings handed to its factory.
 *
 * @param provider the provider's name, e.g. {@code podman}
 * @param config its settings, e.g. {@code socket: /run/podman/podman.sock}
 */
public record RuntimeSelection(String provider, Map<String, String> config) {
    public RuntimeSelection {
        requireNonNull(provider, "provider");
        config = Map.copyOf(requireNonNull(config, "config"));
    }
}

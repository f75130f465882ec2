package dev.petlet.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One volume driver provider to load, and the settings handed to its factory.
 *
 * @param provider the provider's name, e.g. {@code nfs}
 * @param config its settings, e.g. {@code mountOptions: nfsvers=4.2}
 */
public record VolumeDriverSelection(String provider, Map<String, String> config) {
    public VolumeDriverSelection {
        requireNonNull(provider, "provider");
        config = Map.copyOf(requireNonNull(config, "config"));
    }
}

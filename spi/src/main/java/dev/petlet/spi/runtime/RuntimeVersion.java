package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

/**
 * What runtime answers, for node status ({@code containerRuntimeVersion}) and diagnostics.
 *
 * @param runtimeName e.g. {@code "podman"}
 * @param runtimeVersion e.g. {@code "4.3.1"}
 * @param apiVersion the version of the runtime's API the provider talks, e.g. {@code "4.3.1"}
 */
public record RuntimeVersion(String runtimeName, String runtimeVersion, String apiVersion) {
    public RuntimeVersion {
        requireNonNull(runtimeName, "runtimeName");
        requireNonNull(runtimeVersion, "runtimeVersion");
        requireNonNull(apiVersion, "apiVersion");
    }
}

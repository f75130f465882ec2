package dev.petlet.spi.runtime;

import dev.petlet.spi.ProviderFactory;

/**
 * Creates {@link ContainerRuntime}s by name, e.g. {@code "podman"}; see {@link ProviderFactory} for the
 * contract of {@code name()} and {@code create(config, context)}.
 */
public interface RuntimeFactory extends ProviderFactory<ContainerRuntime> {}

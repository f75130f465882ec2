package dev.petlet.spi.volume;

import dev.petlet.spi.ProviderFactory;

/** Creates {@link VolumeDriver}s by name; see {@link ProviderFactory} for the contract. */
public interface VolumeDriverFactory extends ProviderFactory<VolumeDriver> {}

package dev.petlet.spi.device;

import dev.petlet.spi.ProviderFactory;

/** Creates {@link DeviceInventory}s by name; see {@link ProviderFactory} for the contract. */
public interface DeviceInventoryFactory extends ProviderFactory<DeviceInventory> {}

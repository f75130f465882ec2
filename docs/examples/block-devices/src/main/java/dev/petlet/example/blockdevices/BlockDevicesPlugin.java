package dev.petlet.example.blockdevices;

import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.device.DeviceInventoryFactory;
import java.util.List;

/**
 * The example provider's entry point, listed in {@code META-INF/services/dev.petlet.spi.PetletPlugin}: one
 * device inventory named {@code "block-devices"}.
 */
public final class BlockDevicesPlugin implements PetletPlugin {
    @Override
    public List<DeviceInventoryFactory> devices() {
        return List.of(new BlockDevicesFactory());
    }
}

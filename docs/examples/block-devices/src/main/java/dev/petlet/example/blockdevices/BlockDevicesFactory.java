package dev.petlet.example.blockdevices;

import dev.petlet.spi.ConfigKey;
import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderCheck;
import dev.petlet.spi.ProviderContext;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.device.DeviceInventory;
import dev.petlet.spi.device.DeviceInventoryFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Creates {@link BlockDeviceInventory}s from their configuration: {@code sysfs} and {@code include-virtual}. */
final class BlockDevicesFactory implements DeviceInventoryFactory {
    static final String SYSFS = "sysfs";
    static final String INCLUDE_VIRTUAL = "include-virtual";
    private static final Set<String> KEYS = Set.of(SYSFS, INCLUDE_VIRTUAL);

    @Override
    public String name() {
        return "block-devices";
    }

    @Override
    public DeviceInventory create(Map<String, String> config, ProviderContext context) throws ProviderException {
        for (String key : config.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ProviderException(
                        ErrorCode.INVALID,
                        "unknown configuration key '" + key + "' for the block-devices inventory; known keys: "
                                + new TreeSet<>(KEYS));
            }
        }
        String includeVirtual = config.getOrDefault(INCLUDE_VIRTUAL, "false");
        if (!includeVirtual.equals("true") && !includeVirtual.equals("false")) {
            throw new ProviderException(
                    ErrorCode.INVALID,
                    "block-devices: '" + INCLUDE_VIRTUAL + "' must be true or false, was '" + includeVirtual + "'");
        }
        return new BlockDeviceInventory(sysfs(config), Boolean.parseBoolean(includeVirtual));
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                new ConfigKey(SYSFS, "where sysfs is mounted", "/sys"),
                new ConfigKey(
                        INCLUDE_VIRTUAL,
                        "whether to list loop, ram and device-mapper devices too (true or false)",
                        "false"));
    }

    @Override
    public List<ProviderCheck> check(Map<String, String> config) {
        Path block = sysfs(config).resolve("block");
        String description = "block devices readable in " + block;
        return List.of(
                Files.isDirectory(block) && Files.isReadable(block)
                        ? ProviderCheck.passed(description)
                        : ProviderCheck.failed(
                                description, "mount sysfs there, or set '" + SYSFS + "' to where it is"));
    }

    private static Path sysfs(Map<String, String> config) {
        return Path.of(config.getOrDefault(SYSFS, "/sys"));
    }
}

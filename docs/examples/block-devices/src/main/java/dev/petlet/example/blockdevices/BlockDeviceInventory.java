package dev.petlet.example.blockdevices;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.device.Device;
import dev.petlet.spi.device.DeviceInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The block devices under {@code <sysfs>/block}: one {@link Device} of kind {@code "disk"} per device, with
 * its size, model and whether it rotates. Stateless and read-only, so thread-safe; {@link #close()} has
 * nothing to release.
 */
final class BlockDeviceInventory implements DeviceInventory {
    private static final List<String> VIRTUAL_PREFIXES = List.of("loop", "ram", "dm-", "zram", "nbd");
    private final Path sysfs;
    private final boolean includeVirtual;

    BlockDeviceInventory(Path sysfs, boolean includeVirtual) {
        this.sysfs = requireNonNull(sysfs, "sysfs");
        this.includeVirtual = includeVirtual;
    }

    @Override
    public List<Device> scan() throws ProviderException {
        Path block = sysfs.resolve("block");
        try (Stream<Path> devices = Files.list(block)) {
            return devices.map(path -> path.getFileName().toString())
                    .filter(name -> includeVirtual || VIRTUAL_PREFIXES.stream().noneMatch(name::startsWith))
                    .sorted()
                    .map(name -> device(block.resolve(name), name))
                    .toList();
        } catch (IOException e) {
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE, "cannot list block devices in " + block + ": " + e.getMessage(), e);
        }
    }

    private static Device device(Path directory, String name) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("name", name);
        read(directory.resolve("size"))
                .map(sectors -> Long.toString(Long.parseLong(sectors) * 512))
                .ifPresent(bytes -> attributes.put("sizeBytes", bytes));
        read(directory.resolve("queue/rotational"))
                .ifPresent(value -> attributes.put("rotational", value.equals("1") ? "true" : "false"));
        read(directory.resolve("device/model")).ifPresent(model -> attributes.put("model", model));
        // A serial number survives renaming (sda becoming sdb after a reboot); the kernel name is the fallback.
        String id = read(directory.resolve("device/serial"))
                .or(() -> read(directory.resolve("device/wwid")))
                .orElse(name);
        return new Device(id, "disk", attributes);
    }

    private static Optional<String> read(Path file) {
        try {
            String value = Files.readString(file).trim();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {}
}

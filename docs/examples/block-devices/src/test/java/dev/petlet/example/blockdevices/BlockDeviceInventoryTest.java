package dev.petlet.example.blockdevices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.device.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the example reads from sysfs. */
class BlockDeviceInventoryTest {
    @TempDir
    Path sysfs;

    @Test
    void reportsSizeRotationAndSerialAndSkipsVirtualDevices() throws Exception {
        Path sda = Files.createDirectories(sysfs.resolve("block/sda/queue"));
        Files.writeString(sda.resolveSibling("size"), "2048\n");
        Files.writeString(sda.resolve("rotational"), "1\n");
        Files.createDirectories(sysfs.resolve("block/sda/device"));
        Files.writeString(sysfs.resolve("block/sda/device/serial"), "WD-1234\n");
        Files.writeString(sysfs.resolve("block/sda/device/model"), "WDC WD40\n");
        Files.createDirectories(sysfs.resolve("block/loop0"));

        List<Device> devices = new BlockDeviceInventory(sysfs, false).scan();

        assertThat(devices)
                .containsExactly(new Device(
                        "WD-1234",
                        "disk",
                        Map.of("name", "sda", "sizeBytes", "1048576", "rotational", "true", "model", "WDC WD40")));
        assertThat(new BlockDeviceInventory(sysfs, true).scan())
                .extracting(Device::id)
                .contains("loop0");
    }
}

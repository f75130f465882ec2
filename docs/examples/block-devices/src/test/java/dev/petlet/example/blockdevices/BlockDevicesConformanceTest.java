package dev.petlet.example.blockdevices;

import dev.petlet.spi.ProviderContext;
import dev.petlet.spi.ProviderEventSink;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.device.DeviceInventory;
import dev.petlet.testing.conformance.DeviceInventoryConformance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The example inventory passes the device conformance kit, over a sysfs tree made by the test. */
class BlockDevicesConformanceTest extends DeviceInventoryConformance {
    @TempDir
    Path sysfs;

    @Override
    protected DeviceInventory create(Map<String, String> config) throws ProviderException {
        return new BlockDevicesFactory().create(config, context(sysfs));
    }

    @Override
    protected Map<String, String> configWithDevices() {
        disk("vda", "41943040", "1", null);
        disk("sdb", "1000", "0", "S4EVNX0R123");
        disk("loop0", "0", "0", null);
        return Map.of("sysfs", sysfs.toString());
    }

    private void disk(String name, String sectors, String rotational, String serial) {
        try {
            Path device = Files.createDirectories(sysfs.resolve("block").resolve(name));
            Files.writeString(device.resolve("size"), sectors + "\n");
            Files.createDirectories(device.resolve("queue"));
            Files.writeString(device.resolve("queue/rotational"), rotational + "\n");
            if (serial != null) {
                Files.createDirectories(device.resolve("device"));
                Files.writeString(device.resolve("device/serial"), serial + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProviderContext context(Path state) {
        return new ProviderContext() {
            @Override
            public String nodeName() {
                return "node";
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public Path stateDirectory() {
                return state;
            }

            @Override
            public ProviderEventSink events() {
                return ProviderEventSink.DISCARD;
            }
        };
    }
}

package dev.petlet.cli;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.petlet.core.provider.Providers;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.device.DeviceInventory;
import dev.petlet.testing.conformance.DeviceInventoryConformance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example provider from docs/examples, loaded from the assembled distribution's {@code
 * providers/block-devices/} in its own class loader, passes the device conformance kit through the agent.
 */
class ExampleProviderDistributionIT extends DeviceInventoryConformance {
    @TempDir
    Path temporary;

    private Providers providers;

    @BeforeEach
    void loadFromTheDistribution() {
        Path directory = SandboxProcess.distribution().resolve("providers");
        assumeThat(directory.resolve("block-devices"))
                .as("the build selected the example provider (-Dpetlet.providers)")
                .isDirectory();
        providers = Providers.fromDirectory(directory, getClass().getClassLoader());
    }

    @Override
    protected DeviceInventory create(Map<String, String> config) throws ProviderException {
        return providers.deviceInventory("block-devices", config, "node", temporary, Clock.systemUTC());
    }

    @Override
    protected Map<String, String> configWithDevices() {
        try {
            Path disk = Files.createDirectories(temporary.resolve("sys/block/vda/queue"));
            Files.writeString(disk.resolveSibling("size"), "2048\n");
            Files.writeString(disk.resolve("rotational"), "0\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("sysfs", temporary.resolve("sys").toString());
    }
}

package dev.petlet.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.device.Device;
import dev.petlet.spi.device.DeviceInventory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeviceInventory} does: stable, unique, non-empty ids; scans free of side effects; unknown
 * configuration refused with {@link ErrorCode#INVALID} naming the key; an idempotent close.
 */
public abstract class DeviceInventoryConformance {
    /** Creates the inventory under test with this configuration (through its factory, or through the agent). */
    protected abstract DeviceInventory create(Map<String, String> config) throws ProviderException;

    /** A configuration under which the inventory finds at least one device. */
    protected abstract Map<String, String> configWithDevices();

    @Test
    void scanFindsDevicesWithUniqueNonEmptyIds() throws Exception {
        try (DeviceInventory inventory = create(configWithDevices())) {
            List<Device> devices = inventory.scan();

            assertThat(devices).isNotEmpty();
            assertThat(devices).extracting(Device::id).doesNotHaveDuplicates().allMatch(id -> !id.isBlank());
            assertThat(devices).extracting(Device::kind).allMatch(kind -> kind.equals(kind.toLowerCase()));
        }
    }

    @Test
    void scanningAgainGivesTheSameDevices() throws Exception {
        try (DeviceInventory inventory = create(configWithDevices())) {
            assertThat(inventory.scan()).isEqualTo(inventory.scan());
        }
    }

    @Test
    void anUnknownConfigurationKeyIsInvalidAndNamed() {
        Map<String, String> config = new HashMap<>(configWithDevices());
        config.put("no-such-key", "1");

        assertThatThrownBy(() -> create(config).close())
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID))
                .hasMessageContaining("no-such-key");
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        DeviceInventory inventory = create(configWithDevices());
        inventory.close();
        inventory.close();
    }
}

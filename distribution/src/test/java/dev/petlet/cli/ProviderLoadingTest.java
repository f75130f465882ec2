package dev.petlet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.core.provider.ProviderKind;
import dev.petlet.core.provider.ProviderLoadException;
import dev.petlet.core.provider.Providers;
import dev.petlet.spi.device.Device;
import dev.petlet.spi.device.DeviceInventory;
import dev.petlet.testing.plugin.TestProviders;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Providers from a {@code providers/} directory of real jars built by the test, each in its own class loader. */
class ProviderLoadingTest {
    @TempDir
    Path temporary;

    private Path providers() {
        return temporary.resolve("providers");
    }

    private Providers load() {
        return Providers.fromDirectory(providers(), getClass().getClassLoader());
    }

    private Device scan(Providers providers, String inventory) throws Exception {
        try (DeviceInventory devices =
                providers.deviceInventory(inventory, Map.of(), "node", temporary, Clock.systemUTC())) {
            return devices.scan().get(0);
        }
    }

    @Test
    void twoProvidersUseDifferentVersionsOfTheSameLibrary() throws Exception {
        Path one = TestProviders.library(temporary.resolve("lib1/shared-1.0.jar"), "1.0");
        Path two = TestProviders.library(temporary.resolve("lib2/shared-2.0.jar"), "2.0");
        TestProviders.provider(providers(), "alpha", "alpha-devices")
                .bundling(one)
                .write();
        TestProviders.provider(providers(), "beta", "beta-devices")
                .bundling(two)
                .write();

        Providers providers = load();

        assertThat(providers.all())
                .extracting(p -> p.name() + " " + p.version())
                .containsExactly("alpha 7.0-alpha", "beta 7.0-beta");
        Device alpha = scan(providers, "alpha-devices");
        Device beta = scan(providers, "beta-devices");
        assertThat(alpha.attributes()).containsEntry(TestProviders.LIBRARY, "1.0");
        assertThat(beta.attributes()).containsEntry(TestProviders.LIBRARY, "2.0");
    }

    @Test
    void providerCodeRunsWithItsOwnContextClassLoaderAndSeesOnlyTheSpi() throws Exception {
        TestProviders.provider(providers(), "alpha", "alpha-devices").write();

        Device device = scan(load(), "alpha-devices");

        assertThat(device.attributes())
                .containsEntry(TestProviders.CONTEXT_LOADER, "provider-alpha")
                .containsEntry(TestProviders.SEES_AGENT, "false");
        assertThat(Thread.currentThread().getContextClassLoader().getName()).isNotEqualTo("provider-alpha");
    }

    @Test
    void aConfiguredProviderThatIsMissingNamesWhatIsInstalled() {
        TestProviders.provider(providers(), "alpha", "alpha-devices").write();

        assertThatThrownBy(() -> load().select(ProviderKind.DEVICES, "gamma"))
                .isInstanceOf(ProviderLoadException.class)
                .hasMessage("devices provider \"gamma\" is not installed (looked in " + providers()
                        + "); installed device inventories: alpha-devices");
        assertThatThrownBy(() -> load().select(ProviderKind.RUNTIME, "podman"))
                .hasMessageContaining("runtime provider \"podman\" is not installed")
                .hasMessageContaining("installed runtimes: none");
    }

    @Test
    void twoProvidersWithTheSameNameStopTheStart() {
        TestProviders.provider(providers(), "alpha", "same").write();
        TestProviders.provider(providers(), "beta", "same").write();

        assertThatThrownBy(this::load)
                .isInstanceOf(ProviderLoadException.class)
                .hasMessage("two providers offer the devices provider \"same\": alpha ("
                        + providers().resolve("alpha") + ") and beta ("
                        + providers().resolve("beta") + "); remove one of them");
    }

    @Test
    void aProviderThatThrowsWhileLoadingStopsTheStart() {
        TestProviders.provider(providers(), "alpha", "alpha-devices").write();
        TestProviders.provider(providers(), "broken", "broken-devices")
                .throwingOnLoad("no coffee")
                .write();

        assertThatThrownBy(this::load)
                .isInstanceOf(ProviderLoadException.class)
                .hasMessage("provider broken (" + providers().resolve("broken")
                        + ") failed to load: java.lang.IllegalStateException: no coffee; fix or remove the provider");
    }

    @Test
    void aProviderBuiltForANewerSpiStopsTheStart() {
        TestProviders.provider(providers(), "future", "future-devices")
                .spiVersion("2")
                .write();

        assertThatThrownBy(this::load)
                .isInstanceOf(ProviderLoadException.class)
                .hasMessage("provider future (" + providers().resolve("future/future.jar")
                        + ") was built for SPI version 2, but this petlet supports SPI versions 1 to 1; install a"
                        + " build of the provider for SPI 1 or upgrade petlet");
    }

    @Test
    void aProviderThatDoesNotStateItsSpiVersionStopsTheStart() {
        TestProviders.provider(providers(), "vague", "vague-devices")
                .spiVersion(null)
                .write();

        assertThatThrownBy(this::load)
                .isInstanceOf(ProviderLoadException.class)
                .hasMessageContaining("provider vague")
                .hasMessageContaining("its manifest needs the attribute Petlet-Spi-Version: 1");
    }
}

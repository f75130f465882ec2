package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.runtime.RuntimeFactory;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PodmanPluginTest {

    @Test
    void serviceLoaderFindsThePodmanRuntime() {
        List<PetletPlugin> plugins = ServiceLoader.load(PetletPlugin.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();

        assertThat(plugins).hasAtLeastOneElementOfType(PodmanPlugin.class);
        PetletPlugin podman = plugins.stream()
                .filter(PodmanPlugin.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertThat(podman.runtimes()).extracting(RuntimeFactory::name).containsExactly("podman");
        assertThat(podman.serviceProxies()).isEmpty();
        assertThat(podman.tunnels()).isEmpty();
        assertThat(podman.volumeDrivers()).isEmpty();
        assertThat(podman.devices()).isEmpty();
    }
}

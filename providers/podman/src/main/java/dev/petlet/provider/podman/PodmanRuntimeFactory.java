package dev.petlet.provider.podman;

import dev.petlet.spi.ProviderContext;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.RuntimeFactory;
import java.util.Map;

/** Creates {@link PodmanRuntime}s; configuration keys are described in {@link PodmanConfig}. */
final class PodmanRuntimeFactory implements RuntimeFactory {
    static final String NAME = "podman";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ContainerRuntime create(Map<String, String> config, ProviderContext context) throws ProviderException {
        return PodmanRuntime.create(PodmanConfig.parse(config), context.clock());
    }
}

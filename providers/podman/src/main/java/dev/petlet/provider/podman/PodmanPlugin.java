package dev.petlet.provider.podman;

import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.runtime.RuntimeFactory;
import java.util.List;

/** The Podman provider: a container runtime named {@code "podman"} over Podman's REST API. */
public final class PodmanPlugin implements PetletPlugin {
    @Override
    public List<RuntimeFactory> runtimes() {
        return List.of(new PodmanRuntimeFactory());
    }
}

package dev.petlet.provider.podman;

import dev.petlet.spi.ConfigKey;
import dev.petlet.spi.ProviderCheck;
import dev.petlet.spi.ProviderContext;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.RuntimeFactory;
import java.util.List;
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

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                new ConfigKey(
                        PodmanConfig.SOCKET, "the Podman API socket (an absolute path)", PodmanConfig.DEFAULT_SOCKET),
                new ConfigKey(
                        PodmanConfig.INSECURE_REGISTRIES,
                        "registries (host or host:port, comma-separated) pulled from over plain HTTP or without"
                                + " verifying TLS",
                        ""),
                new ConfigKey(
                        PodmanConfig.SANDBOX_STARTS,
                        "how many pod sandboxes Podman creates and starts at once (more only contend)",
                        "twice the processors, at least 2"));
    }

    @Override
    public List<ProviderCheck> check(Map<String, String> config) {
        try {
            return List.of(PodmanSocketCheck.check(PodmanConfig.parse(config).socket()));
        } catch (ProviderException e) {
            return List.of(ProviderCheck.failed("podman runtime configuration", e.getMessage()));
        }
    }
}

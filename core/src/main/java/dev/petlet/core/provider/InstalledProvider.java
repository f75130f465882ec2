package dev.petlet.core.provider;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ConfigKey;
import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.ProviderCheck;
import dev.petlet.spi.ProviderFactory;
import java.util.List;
import java.util.Map;

/**
 * One loaded provider: a plugin, where it came from and the class loader its code runs with.
 *
 * @param name the provider's name: its directory under {@code providers/}, or the plugin's class name on a
 *     flat class path
 * @param version the provider jar's {@code Implementation-Version}, or {@code "unknown"}
 * @param location where it was loaded from, for messages
 * @param spiVersion the SPI version it was built against ({@link dev.petlet.spi.SpiVersion#CURRENT} on a flat
 *     class path, where it was compiled with the agent)
 * @param loader the class loader its calls run with
 * @param factories its factories by kind, read once at load time
 */
public record InstalledProvider(
        String name,
        String version,
        String location,
        int spiVersion,
        ClassLoader loader,
        PetletPlugin plugin,
        Map<ProviderKind, List<ProviderFactory<?>>> factories) {
    public InstalledProvider {
        requireNonNull(name, "name");
        requireNonNull(version, "version");
        requireNonNull(location, "location");
        requireNonNull(loader, "loader");
        requireNonNull(plugin, "plugin");
        factories = Map.copyOf(factories);
    }

    /** The factories of one kind, empty if it offers none. */
    public List<ProviderFactory<?>> factories(ProviderKind kind) {
        return factories.getOrDefault(kind, List.of());
    }

    /** The kinds it offers, in {@link ProviderKind} order. */
    public List<ProviderKind> kinds() {
        return java.util.Arrays.stream(ProviderKind.values())
                .filter(kind -> !factories(kind).isEmpty())
                .toList();
    }

    /** A factory's configuration keys, asked with this provider's context class loader. */
    public List<ConfigKey> configKeys(ProviderFactory<?> factory) {
        return ContextClassLoaderProxy.call(loader, factory::configKeys);
    }

    /** A factory's machine checks, run with this provider's context class loader; a throwing check fails. */
    public List<ProviderCheck> check(ProviderFactory<?> factory, Map<String, String> config) {
        try {
            return ContextClassLoaderProxy.call(loader, () -> factory.check(config));
        } catch (RuntimeException | LinkageError e) {
            return List.of(ProviderCheck.failed(
                    name + " " + factory.name() + ": its checks",
                    "the provider's checks threw " + e + "; report this to the provider's authors"));
        }
    }
}

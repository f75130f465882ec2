package dev.petlet.core.provider;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ConfigKey;
import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.ProviderCheck;
import dev.petlet.spi.ProviderFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        return Arrays.stream(ProviderKind.values())
                .filter(kind -> !factories(kind).isEmpty())
                .toList();
    }

    /** A factory's configuration keys, asked with this provider's context class loader. */
    public List<ConfigKey> configKeys(ProviderFactory<?> factory) {
        return ContextClassLoaderProxy.call(loader, factory::configKeys);
    }

    /** How long {@code petlet doctor} waits for one factory's checks. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);

    /**
     * A factory's machine checks, run with this provider's context class loader on a thread of their own; checks
     * that throw or hang are a failed check saying so.
     */
    public List<ProviderCheck> check(ProviderFactory<?> factory, Map<String, String> config) {
        CompletableFuture<List<ProviderCheck>> result = new CompletableFuture<>();
        Thread.ofVirtual().name("check-" + name).start(() -> {
            try {
                result.complete(ContextClassLoaderProxy.call(loader, () -> factory.check(config)));
            } catch (RuntimeException | LinkageError e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(CHECK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return List.of(ProviderCheck.failed(
                    name + " " + factory.name() + ": its checks",
                    "they did not finish within " + CHECK_TIMEOUT.toSeconds() + " s; report this to the"
                            + " provider's authors"));
        } catch (ExecutionException e) {
            return List.of(ProviderCheck.failed(
                    name + " " + factory.name() + ": its checks",
                    "they threw " + e.getCause() + "; report this to the provider's authors"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(ProviderCheck.failed(name + " " + factory.name() + ": its checks", "interrupted"));
        }
    }
}

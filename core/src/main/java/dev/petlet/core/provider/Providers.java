package dev.petlet.core.provider;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.ProviderContext;
import dev.petlet.spi.ProviderEventSink;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.RuntimeFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The providers found with {@link ServiceLoader}, selected by name. A missing or duplicate name
 * is an error that says which names exist: never "some" provider.
 */
public final class Providers {
    private final List<PetletPlugin> plugins;

    private Providers(List<PetletPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    /** The plugins on the given class loader's class path. */
    public static Providers load(ClassLoader loader) {
        List<PetletPlugin> plugins = new ArrayList<>();
        ServiceLoader.load(PetletPlugin.class, loader).forEach(plugins::add);
        return new Providers(plugins);
    }

    public static Providers of(List<PetletPlugin> plugins) {
        return new Providers(plugins);
    }

    /** Creates the runtime named {@code name} with its config. */
    public ContainerRuntime runtime(
            String name, Map<String, String> config, String nodeName, Path stateDirectory, Clock clock)
            throws ProviderException {
        requireNonNull(name, "name");
        List<RuntimeFactory> matching = plugins.stream()
                .flatMap(plugin -> plugin.runtimes().stream())
                .filter(factory -> factory.name().equals(name))
                .toList();
        if (matching.isEmpty()) {
            String known = plugins.stream()
                    .flatMap(plugin -> plugin.runtimes().stream())
                    .map(RuntimeFactory::name)
                    .sorted()
                    .collect(Collectors.joining(", "));
            throw new IllegalStateException("runtime provider \"" + name + "\" is not installed; installed runtimes: "
                    + (known.isEmpty() ? "none" : known));
        }
        if (matching.size() > 1) {
            throw new IllegalStateException("two installed providers are both named \"" + name + "\" ("
                    + matching.stream().map(f -> f.getClass().getName()).collect(Collectors.joining(", "))
                    + "); remove one of them");
        }
        ProviderContext context = new ProviderContext() {
            @Override
            public String nodeName() {
                return nodeName;
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public Path stateDirectory() {
                return stateDirectory.resolve("providers").resolve(name);
            }

            @Override
            public ProviderEventSink events() {
                return ProviderEventSink.DISCARD;
            }
        };
        return matching.get(0).create(config, context);
    }
}

package dev.petlet.core.provider;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.ProviderContext;
import dev.petlet.spi.ProviderEventSink;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.ProviderFactory;
import dev.petlet.spi.SpiVersion;
import dev.petlet.spi.device.DeviceInventory;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.RuntimeFactory;
import dev.petlet.spi.volume.VolumeDriver;
import dev.petlet.spi.volume.VolumeDriverFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The installed providers, selected by name. In a distribution they load in isolation from {@code
 * providers/<name>/} ({@link #fromDirectory}); in tests and the IDE from the flat class path ({@link #load}).
 * A missing or duplicate name is an error that says which names exist: never "some" provider. Every call into
 * a provider runs with the provider's class loader as the thread's context class loader.
 */
public final class Providers {
    /** The system property naming the distribution's home; its {@code providers/} holds the providers. */
    public static final String HOME_PROPERTY = "petlet.home";

    private final List<InstalledProvider> providers;
    private final String source;

    private Providers(List<InstalledProvider> providers, String source) {
        this.providers = List.copyOf(providers);
        this.source = source;
        rejectDuplicateNames();
    }

    /**
     * The providers of the distribution this agent runs from ({@code $petlet.home/providers}) if there is one,
     * else those on the flat class path of {@code flatClassPath}.
     */
    public static Providers installed(ClassLoader flatClassPath) {
        Optional<Path> directory = Optional.ofNullable(System.getProperty(HOME_PROPERTY))
                .map(home -> Path.of(home, "providers"))
                .filter(Files::isDirectory);
        return directory.isPresent()
                ? fromDirectory(directory.get(), Providers.class.getClassLoader())
                : load(flatClassPath);
    }

    /** The providers under {@code directory}, each in its own class loader over {@code agent}'s SPI. */
    public static Providers fromDirectory(Path directory, ClassLoader agent) {
        return new Providers(ProviderDirectory.load(directory, agent), directory.toString());
    }

    /** The plugins on the given class loader's class path (tests and the IDE: no isolation). */
    public static Providers load(ClassLoader loader) {
        List<PetletPlugin> plugins = new ArrayList<>();
        try {
            ServiceLoader.load(PetletPlugin.class, loader).forEach(plugins::add);
        } catch (ServiceConfigurationError e) {
            throw new ProviderLoadException(
                    "a provider on the class path failed to load: " + ProviderDirectory.rootCause(e), e);
        }
        return new Providers(
                plugins.stream().map(plugin -> flat(plugin, loader)).toList(), "the class path");
    }

    public static Providers of(List<PetletPlugin> plugins) {
        return new Providers(
                plugins.stream()
                        .map(plugin -> flat(plugin, Providers.class.getClassLoader()))
                        .toList(),
                "the given plugins");
    }

    private static InstalledProvider flat(PetletPlugin plugin, ClassLoader loader) {
        String version = Optional.ofNullable(plugin.getClass().getPackage().getImplementationVersion())
                .orElse("unknown");
        try {
            return new InstalledProvider(
                    plugin.getClass().getName(),
                    version,
                    "class path",
                    SpiVersion.CURRENT,
                    loader,
                    plugin,
                    ProviderDirectory.factories(plugin));
        } catch (RuntimeException | LinkageError e) {
            throw new ProviderLoadException(
                    "provider " + plugin.getClass().getName() + " failed to load: " + ProviderDirectory.rootCause(e),
                    e);
        }
    }

    /** Every installed provider, in name order for a directory. */
    public List<InstalledProvider> all() {
        return providers;
    }

    /** Where they were loaded from, for messages. */
    public String source() {
        return source;
    }

    private void rejectDuplicateNames() {
        for (ProviderKind kind : ProviderKind.values()) {
            Map<String, InstalledProvider> byName = new HashMap<>();
            for (InstalledProvider provider : providers) {
                for (ProviderFactory<?> factory : provider.factories(kind)) {
                    InstalledProvider other = byName.putIfAbsent(factory.name(), provider);
                    if (other != null) {
                        throw new ProviderLoadException("two providers offer the " + kind.label() + " provider \""
                                + factory.name() + "\": " + other.name() + " (" + other.location() + ") and "
                                + provider.name() + " (" + provider.location() + "); remove one of them");
                    }
                }
            }
        }
    }

    /** The provider and factory of {@code kind} named {@code name}, or a startup error listing what exists. */
    public Selected select(ProviderKind kind, String name) {
        requireNonNull(name, "name");
        for (InstalledProvider provider : providers) {
            for (ProviderFactory<?> factory : provider.factories(kind)) {
                if (factory.name().equals(name)) {
                    return new Selected(provider, factory);
                }
            }
        }
        String known = providers.stream()
                .flatMap(provider -> provider.factories(kind).stream())
                .map(ProviderFactory::name)
                .sorted()
                .collect(Collectors.joining(", "));
        throw new ProviderLoadException(kind.label() + " provider \"" + name + "\" is not installed (looked in "
                + source + "); installed " + kind.plural() + ": " + (known.isEmpty() ? "none" : known));
    }

    /** A factory and the provider it belongs to. */
    public record Selected(InstalledProvider provider, ProviderFactory<?> factory) {}

    /** Creates the runtime named {@code name} with its config. */
    public ContainerRuntime runtime(
            String name, Map<String, String> config, String nodeName, Path stateDirectory, Clock clock)
            throws ProviderException {
        Selected selected = select(ProviderKind.RUNTIME, name);
        RuntimeFactory factory = (RuntimeFactory) selected.factory();
        ClassLoader loader = selected.provider().loader();
        ProviderContext context = context(name, nodeName, stateDirectory, clock);
        ContainerRuntime runtime = ContextClassLoaderProxy.call(loader, () -> factory.create(config, context));
        return loader == Providers.class.getClassLoader()
                ? runtime
                : ContextClassLoaderProxy.wrap(ContainerRuntime.class, runtime, loader);
    }

    /** Creates the device inventory named {@code name} with its config. */
    public DeviceInventory deviceInventory(
            String name, Map<String, String> config, String nodeName, Path stateDirectory, Clock clock)
            throws ProviderException {
        Selected selected = select(ProviderKind.DEVICES, name);
        var factory = (dev.petlet.spi.device.DeviceInventoryFactory) selected.factory();
        ClassLoader loader = selected.provider().loader();
        ProviderContext context = context(name, nodeName, stateDirectory, clock);
        DeviceInventory inventory = ContextClassLoaderProxy.call(loader, () -> factory.create(config, context));
        return ContextClassLoaderProxy.wrap(DeviceInventory.class, inventory, loader);
    }

    /** Creates the volume driver named {@code name} with its config. */
    public VolumeDriver volumeDriver(
            String name, Map<String, String> config, String nodeName, Path stateDirectory, Clock clock)
            throws ProviderException {
        Selected selected = select(ProviderKind.VOLUME_DRIVER, name);
        VolumeDriverFactory factory = (VolumeDriverFactory) selected.factory();
        ClassLoader loader = selected.provider().loader();
        ProviderContext context = context(name, nodeName, stateDirectory, clock);
        VolumeDriver driver = ContextClassLoaderProxy.call(loader, () -> factory.create(config, context));
        return loader == Providers.class.getClassLoader()
                ? driver
                : ContextClassLoaderProxy.wrap(VolumeDriver.class, driver, loader);
    }

    private static ProviderContext context(String name, String nodeName, Path stateDirectory, Clock clock) {
        return new ProviderContext() {
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
    }
}

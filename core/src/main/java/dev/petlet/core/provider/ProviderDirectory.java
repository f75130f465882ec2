package dev.petlet.core.provider;

import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.ProviderFactory;
import dev.petlet.spi.SpiVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Loads the providers of a distribution's {@code providers/} directory: each subdirectory is one provider (its
 * jar and its own dependencies) and gets its own class loader, whose parent is a {@link SpiOnlyClassLoader}.
 * Two providers can so use different versions of the same library, and none sees the agent's.
 */
final class ProviderDirectory {
    static final String SERVICE_FILE = "META-INF/services/" + PetletPlugin.class.getName();

    private ProviderDirectory() {}

    /** Every provider under {@code directory}, in name order; fails on the first one that cannot load. */
    static List<InstalledProvider> load(Path directory, ClassLoader agent) {
        List<Path> subdirectories;
        try (Stream<Path> entries = Files.list(directory)) {
            subdirectories = entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new ProviderLoadException("cannot read the providers directory " + directory + ": " + e.getMessage());
        }
        SpiOnlyClassLoader parent = new SpiOnlyClassLoader(agent);
        List<InstalledProvider> providers = new ArrayList<>();
        for (Path subdirectory : subdirectories) {
            providers.add(loadOne(subdirectory, parent));
        }
        return providers;
    }

    private static InstalledProvider loadOne(Path directory, ClassLoader parent) {
        String name = directory.getFileName().toString();
        List<Path> jars = jars(directory);
        if (jars.isEmpty()) {
            throw new ProviderLoadException("provider " + name + " (" + directory + ") holds no jar; put the provider's"
                    + " jar and its dependencies there, or remove the directory");
        }
        Path pluginJar = pluginJar(name, directory, jars);
        Manifest manifest = manifest(pluginJar);
        int spiVersion = spiVersion(name, pluginJar, manifest);
        String version = Optional.ofNullable(manifest)
                .map(m -> m.getMainAttributes().getValue("Implementation-Version"))
                .orElse("unknown");
        URLClassLoader loader = new URLClassLoader("provider-" + name, urls(jars), parent);
        try {
            return ContextClassLoaderProxy.call(loader, () -> {
                List<PetletPlugin> plugins = new ArrayList<>();
                for (PetletPlugin plugin : ServiceLoader.load(PetletPlugin.class, loader)) {
                    plugins.add(plugin);
                }
                if (plugins.size() != 1) {
                    throw new ProviderLoadException("provider " + name + " (" + directory + ") lists " + plugins.size()
                            + " PetletPlugin implementations in " + SERVICE_FILE + "; a provider has exactly one");
                }
                PetletPlugin plugin = plugins.get(0);
                return new InstalledProvider(
                        name, version, directory.toString(), spiVersion, loader, plugin, factories(plugin));
            });
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            if (e instanceof ProviderLoadException known) {
                throw known;
            }
            throw new ProviderLoadException(
                    "provider " + name + " (" + directory + ") failed to load: " + rootCause(e)
                            + "; fix or remove the provider",
                    e);
        }
    }

    /** What a plugin offers, read once; a plugin that throws here fails to load. */
    static Map<ProviderKind, List<ProviderFactory<?>>> factories(PetletPlugin plugin) {
        Map<ProviderKind, List<ProviderFactory<?>>> factories = new EnumMap<>(ProviderKind.class);
        for (ProviderKind kind : ProviderKind.values()) {
            List<ProviderFactory<?>> ofKind = List.copyOf(kind.factories(plugin));
            ofKind.forEach(ProviderFactory::name);
            if (!ofKind.isEmpty()) {
                factories.put(kind, ofKind);
            }
        }
        return factories;
    }

    static String rootCause(Throwable throwable) {
        Throwable root = throwable;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static List<Path> jars(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(path -> path.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ProviderLoadException("cannot read provider directory " + directory + ": " + e.getMessage());
        }
    }

    /** The one jar that lists the plugin; its manifest states the SPI version. */
    private static Path pluginJar(String name, Path directory, List<Path> jars) {
        List<Path> listing = jars.stream()
                .filter(jar -> {
                    try (JarFile file = new JarFile(jar.toFile())) {
                        return file.getEntry(SERVICE_FILE) != null;
                    } catch (IOException e) {
                        throw new ProviderLoadException(
                                "provider " + name + ": cannot read " + jar + ": " + e.getMessage());
                    }
                })
                .toList();
        if (listing.isEmpty()) {
            throw new ProviderLoadException("provider " + name + " (" + directory + "): no jar lists a plugin in "
                    + SERVICE_FILE + "; is this a petlet provider?");
        }
        if (listing.size() > 1) {
            throw new ProviderLoadException("provider " + name + " (" + directory + "): " + listing.size()
                    + " jars list a plugin in " + SERVICE_FILE + " ("
                    + listing.stream().map(jar -> jar.getFileName().toString()).toList()
                    + "); put each provider in a directory of its own");
        }
        return listing.get(0);
    }

    private static Manifest manifest(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int spiVersion(String name, Path jar, Manifest manifest) {
        String declared =
                manifest == null ? null : manifest.getMainAttributes().getValue(SpiVersion.MANIFEST_ATTRIBUTE);
        if (declared == null) {
            throw new ProviderLoadException("provider " + name + " (" + jar + ") does not say which SPI version it was"
                    + " built for: its manifest needs the attribute " + SpiVersion.MANIFEST_ATTRIBUTE + ": "
                    + SpiVersion.CURRENT + " (see docs/providers.md)");
        }
        int version;
        try {
            version = Integer.parseInt(declared.trim());
        } catch (NumberFormatException e) {
            throw new ProviderLoadException("provider " + name + " (" + jar + "): manifest attribute "
                    + SpiVersion.MANIFEST_ATTRIBUTE + " is '" + declared + "', not a whole number");
        }
        if (!SpiVersion.supports(version)) {
            throw new ProviderLoadException("provider " + name + " (" + jar + ") was built for SPI version " + version
                    + ", but this petlet supports SPI versions " + SpiVersion.OLDEST_SUPPORTED + " to "
                    + SpiVersion.CURRENT + "; install a build of the provider for SPI " + SpiVersion.CURRENT
                    + (version > SpiVersion.CURRENT ? " or upgrade petlet" : ""));
        }
        return version;
    }

    private static URL[] urls(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return urls;
    }
}

package dev.petlet.testing.plugin;

import java.nio.file.Path;

/**
 * Writes small but real providers into a {@code providers/} directory for loader tests: each is a device
 * inventory whose one device reports what the provider's code sees (its library's version, its context class
 * loader, whether agent classes are visible).
 */
public final class TestProviders {
    /** The device attribute with the version of the bundled library, or {@code "none"}. */
    public static final String LIBRARY = "library";
    /** The device attribute with the name of the context class loader during {@code scan()}. */
    public static final String CONTEXT_LOADER = "contextLoader";
    /** The device attribute saying whether the agent's own classes were visible to the provider. */
    public static final String SEES_AGENT = "seesAgent";

    private TestProviders() {}

    /** A library jar whose class {@code shared.Library} reports {@code version}. */
    public static Path library(Path jar, String version) {
        return ProviderJar.create()
                .manifest(dev.petlet.spi.SpiVersion.MANIFEST_ATTRIBUTE, null)
                .source(
                        "shared.Library",
                        "package shared; public final class Library { public static String version() { return \""
                                + version + "\"; } }")
                .writeTo(jar);
    }

    /** A provider directory {@code providers/<name>/} offering the device inventory {@code inventoryName}. */
    public static Builder provider(Path providers, String name, String inventoryName) {
        return new Builder(providers.resolve(name), name, inventoryName);
    }

    /** Options of one test provider. */
    public static final class Builder {
        private final Path directory;
        private final String name;
        private final String inventoryName;
        private Path library;
        private String constructorBody = "";
        private String spiVersion = Integer.toString(dev.petlet.spi.SpiVersion.CURRENT);

        private Builder(Path directory, String name, String inventoryName) {
            this.directory = directory;
            this.name = name;
            this.inventoryName = inventoryName;
        }

        /** Bundles this library jar (see {@link #library}) and reports its version. */
        public Builder bundling(Path libraryJar) {
            this.library = libraryJar;
            return this;
        }

        /** The plugin's constructor throws this message as an IllegalStateException. */
        public Builder throwingOnLoad(String message) {
            this.constructorBody = "throw new IllegalStateException(\"" + message + "\");";
            return this;
        }

        /** The {@code Petlet-Spi-Version} the jar states; {@code null} leaves the attribute out. */
        public Builder spiVersion(String version) {
            this.spiVersion = version;
            return this;
        }

        /** Writes {@code providers/<name>/<name>.jar} (and the library beside it); returns the directory. */
        public Path write() {
            String pkg = "test." + name.replaceAll("[^a-z0-9]", "");
            ProviderJar jar = ProviderJar.create()
                    .manifest(dev.petlet.spi.SpiVersion.MANIFEST_ATTRIBUTE, spiVersion)
                    .manifest("Implementation-Version", "7.0-" + name)
                    .source(pkg + ".Plugin", source(pkg))
                    .plugin(pkg + ".Plugin");
            if (library != null) {
                jar.compileAgainst(library);
                try {
                    java.nio.file.Files.createDirectories(directory);
                    java.nio.file.Files.copy(library, directory.resolve(library.getFileName()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            jar.writeTo(directory.resolve(name + ".jar"));
            return directory;
        }

        private String source(String pkg) {
            String libraryVersion = library == null ? "\"none\"" : "shared.Library.version()";
            return """
                    package %s;

                    import dev.petlet.spi.ConfigKey;
                    import dev.petlet.spi.ProviderContext;
                    import dev.petlet.spi.device.Device;
                    import dev.petlet.spi.device.DeviceInventory;
                    import dev.petlet.spi.device.DeviceInventoryFactory;
                    import java.util.List;
                    import java.util.Map;

                    public final class Plugin implements dev.petlet.spi.PetletPlugin {
                        public Plugin() {
                            %s
                        }

                        @Override
                        public List<DeviceInventoryFactory> devices() {
                            return List.of(new DeviceInventoryFactory() {
                                public String name() {
                                    return "%s";
                                }

                                public List<ConfigKey> configKeys() {
                                    return List.of(new ConfigKey("greeting", "what it says", "hello"));
                                }

                                public DeviceInventory create(Map<String, String> config, ProviderContext context) {
                                    return new DeviceInventory() {
                                        public List<Device> scan() {
                                            boolean seesAgent;
                                            try {
                                                Class.forName("dev.petlet.core.provider.Providers");
                                                seesAgent = true;
                                            } catch (ClassNotFoundException e) {
                                                seesAgent = false;
                                            }
                                            return List.of(new Device("%s", "test", Map.of(
                                                    "%s", %s,
                                                    "%s", String.valueOf(Thread.currentThread().getContextClassLoader().getName()),
                                                    "%s", Boolean.toString(seesAgent))));
                                        }

                                        public void close() {}
                                    };
                                }
                            });
                        }
                    }
                    """.formatted(
                    pkg, constructorBody, inventoryName, name, LIBRARY, libraryVersion, CONTEXT_LOADER, SEES_AGENT);
        }
    }
}

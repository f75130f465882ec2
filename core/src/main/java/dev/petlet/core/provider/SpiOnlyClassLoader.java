package dev.petlet.core.provider;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every provider's class loader: it sees the JDK (the platform class loader) and, from the
 * agent's own class loader, only the packages providers share with the core — the SPI and SLF4J's API, so
 * that provider logs go to the agent's log. Everything else a provider needs (Netty, Jackson, SLF4J
 * bindings excepted) comes from its own directory, in the version it was built with.
 */
final class SpiOnlyClassLoader extends ClassLoader {
    /** Package prefixes providers share with the core; documented in docs/providers.md. */
    static final List<String> SHARED_PACKAGES = List.of("dev.petlet.spi.", "org.slf4j.");

    private final ClassLoader agent;

    SpiOnlyClassLoader(ClassLoader agent) {
        super("petlet-spi", ClassLoader.getPlatformClassLoader());
        this.agent = requireNonNull(agent, "agent");
    }

    static boolean shared(String className) {
        return SHARED_PACKAGES.stream().anyMatch(className::startsWith);
    }

    private static boolean sharedResource(String path) {
        return shared(path.replace('/', '.'));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (shared(name)) {
            return agent.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        return sharedResource(name) ? agent.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return sharedResource(name) ? agent.getResources(name) : super.getResources(name);
    }
}

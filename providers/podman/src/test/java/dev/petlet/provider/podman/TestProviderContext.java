package dev.petlet.provider.podman;

import dev.petlet.spi.ProviderContext;
import dev.petlet.spi.ProviderEventSink;
import java.nio.file.Path;
import java.time.Clock;

/** A {@link ProviderContext} for tests. */
record TestProviderContext(String nodeName, Clock clock, Path stateDirectory, ProviderEventSink events)
        implements ProviderContext {
    static TestProviderContext in(Path stateDirectory) {
        return new TestProviderContext("test-node", Clock.systemUTC(), stateDirectory, ProviderEventSink.DISCARD);
    }
}

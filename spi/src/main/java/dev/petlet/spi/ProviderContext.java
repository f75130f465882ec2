package dev.petlet.spi;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What the core hands a provider when creating it: the services a provider may use instead of reaching into
 * the core. Implemented by the core; thread-safe; valid for the provider's whole life.
 */
public interface ProviderContext {
    /** The Kubernetes node name this agent runs as. */
    String nodeName();

    /** The clock to use for every timestamp and timeout decision, so tests can control time. */
    Clock clock();

    /**
     * A directory owned by this provider instance alone, which exists and survives agent restarts. Providers
     * keep any local state here and nowhere else.
     */
    Path stateDirectory();

    /** Where to publish events for operators. */
    ProviderEventSink events();

    /** The SPI version the core implements; providers may check it to use newer optional features. */
    default int spiVersion() {
        return SpiVersion.CURRENT;
    }
}

package dev.petlet.spi;

/**
 * Where a provider publishes {@link ProviderEvent}s. Implemented by the core: thread-safe, never blocks
 * (events may be dropped or aggregated under load), and never throws.
 */
@FunctionalInterface
public interface ProviderEventSink {
    /** A sink that drops everything, for tests and tools. */
    ProviderEventSink DISCARD = event -> {};

    /** Publishes one event. */
    void publish(ProviderEvent event);
}

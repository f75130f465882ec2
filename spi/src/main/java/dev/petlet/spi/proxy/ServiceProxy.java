package dev.petlet.spi.proxy;

/**
 * A ClusterIP service proxy and NetworkPolicy enforcer.
 *
 * <p>Placeholder in SPI v1: its operations are defined in a later version. Instances are thread-safe and
 * closed by the core when the agent stops; {@link #close()} releases everything the instance holds and is
 * idempotent.
 */
public interface ServiceProxy extends AutoCloseable {
    @Override
    void close();
}

package dev.petlet.spi.volume;

/**
 * A driver that mounts non-API volumes (nfs, zfs datasets, host paths) for pods.
 *
 * <p>Placeholder in SPI v1: its operations are defined in a later version. Instances are thread-safe and
 * closed by the core when the agent stops; {@link #close()} releases everything the instance holds and is
 * idempotent.
 */
public interface VolumeDriver extends AutoCloseable {
    @Override
    void close();
}

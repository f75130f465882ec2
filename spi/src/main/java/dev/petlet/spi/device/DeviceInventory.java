package dev.petlet.spi.device;

/**
 * An inventory of devices (disks, pools) published as Kubernetes objects.
 *
 * <p>Placeholder in SPI v1: its operations are defined in a later version. Instances are thread-safe and
 * closed by the core when the agent stops; {@link #close()} releases everything the instance holds and is
 * idempotent.
 */
public interface DeviceInventory extends AutoCloseable {
    @Override
    void close();
}

package dev.petlet.spi.device;

import dev.petlet.spi.ProviderException;
import java.util.List;

/**
 * An inventory of devices (disks, pools, accelerators) that the core publishes as Kubernetes objects.
 *
 * <p><b>Threading.</b> Instances are thread-safe; the core scans periodically from one of its threads and may
 * block on I/O for a few seconds.
 *
 * <p><b>Ownership.</b> The core closes the instance when the agent stops; {@link #close()} releases everything
 * the instance holds and is idempotent.
 */
public interface DeviceInventory extends AutoCloseable {
    /**
     * The devices present now. Idempotent and free of side effects: scanning twice on an unchanged machine
     * returns the same devices with the same ids. The default finds none (the operation was added in SPI v1
     * after the type, so inventories written before it keep loading).
     *
     * @throws ProviderException {@link dev.petlet.spi.ErrorCode#UNAVAILABLE} when what the inventory reads
     *     cannot be read now
     */
    default List<Device> scan() throws ProviderException {
        return List.of();
    }

    @Override
    void close();
}

package dev.petlet.spi;

import dev.petlet.spi.device.DeviceInventoryFactory;
import dev.petlet.spi.proxy.ServiceProxyFactory;
import dev.petlet.spi.runtime.RuntimeFactory;
import dev.petlet.spi.tunnel.TunnelFactory;
import dev.petlet.spi.volume.VolumeDriverFactory;
import java.util.List;

/**
 * The entry point of a provider jar, found with {@link java.util.ServiceLoader} (list the implementation in
 * {@code META-INF/services/dev.petlet.spi.PetletPlugin}); it needs a public no-argument constructor. A plugin
 * only lists factories: it must not start threads or touch the machine until a factory's {@code create} is
 * called. Methods return the same lists every time and are called once, from one thread.
 */
public interface PetletPlugin {
    /** Container runtimes this plugin offers. */
    default List<RuntimeFactory> runtimes() {
        return List.of();
    }

    /** Service proxies (ClusterIP, NetworkPolicy) this plugin offers. */
    default List<ServiceProxyFactory> serviceProxies() {
        return List.of();
    }

    /** Tunnels to the cluster network this plugin offers. */
    default List<TunnelFactory> tunnels() {
        return List.of();
    }

    /** Volume drivers this plugin offers. */
    default List<VolumeDriverFactory> volumeDrivers() {
        return List.of();
    }

    /** Device inventories this plugin offers. */
    default List<DeviceInventoryFactory> devices() {
        return List.of();
    }
}

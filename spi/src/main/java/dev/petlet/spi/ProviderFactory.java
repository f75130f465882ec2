package dev.petlet.spi;

import java.util.Map;

/**
 * Creates one kind of provider from its configuration. Every factory kind in the SPI extends this; the core
 * selects a factory by {@link #name()} (a missing or duplicate name is a startup error) and owns, and
 * eventually closes, what {@link #create} returns.
 *
 * @param <T> what the factory creates
 */
public interface ProviderFactory<T extends AutoCloseable> {
    /** The name users put in the configuration, e.g. {@code "podman"}: lower case, unique per kind. */
    String name();

    /**
     * Creates a provider instance. Called once per instance at agent start, from a single thread; may block
     * briefly but should not wait for slow remote services (report those later as {@link
     * ErrorCode#UNAVAILABLE} from operations instead).
     *
     * @param config the provider's section of the agent configuration, as strings; unknown keys are an
     *     {@link ErrorCode#INVALID} error naming the key and the known keys
     * @param context services from the core
     * @throws ProviderException with {@link ErrorCode#INVALID} for bad configuration
     */
    T create(Map<String, String> config, ProviderContext context) throws ProviderException;
}

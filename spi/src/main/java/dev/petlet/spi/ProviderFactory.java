package dev.petlet.spi;

import java.util.List;
import java.util.Map;

/**
 * Creates one kind of provider from its configuration. Every factory kind in the SPI extends this; the core
 * selects a factory by {@link #name()} (a missing or duplicate name is a startup error) and owns, and
 * eventually closes, what {@link #create} returns.
 *
 * <p>Factories are stateless and cheap: the core may call {@link #name()}, {@link #configKeys()} and {@link
 * #check} any number of times, from any thread, without ever calling {@link #create} (as {@code petlet
 * providers} and {@code petlet doctor} do). Every call runs with the provider's class loader as the thread's
 * context class loader.
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

    /**
     * The configuration keys {@link #create} accepts, for {@code petlet providers} and the documentation. The
     * default says nothing; a provider that takes configuration should list every key.
     */
    default List<ConfigKey> configKeys() {
        return List.of();
    }

    /**
     * Checks what this provider needs on this machine with this configuration (a daemon's socket, a command on
     * {@code PATH}, a kernel feature) and says what to fix, for {@code petlet doctor}. Must not change the
     * machine and should finish within a few seconds; a check that cannot run is a failed check with advice,
     * never an exception. The default checks nothing.
     *
     * @param config the provider's configuration section, as {@link #create} would get it
     */
    default List<ProviderCheck> check(Map<String, String> config) {
        return List.of();
    }
}

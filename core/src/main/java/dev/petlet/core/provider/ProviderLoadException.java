package dev.petlet.core.provider;

/**
 * The installed providers cannot be used as configured: a configured provider is missing, two have the same
 * name, one throws while loading, or one was built for an SPI version this petlet does not support. The
 * message is one line that names the provider, where it was found and what to do.
 */
public final class ProviderLoadException extends RuntimeException {
    public ProviderLoadException(String message) {
        super(message);
    }

    public ProviderLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.petlet.spi;

import static java.util.Objects.requireNonNull;

/**
 * One configuration key a provider factory accepts, as {@code petlet providers} lists it and the guide documents
 * it. Immutable.
 *
 * @param name the key as written in the provider's {@code config} section, e.g. {@code "socket"}
 * @param description one sentence saying what it sets and the accepted values
 * @param defaultValue nullable: the value used when the key is absent, or {@code null} when there is none
 */
public record ConfigKey(String name, String description, String defaultValue) {
    public ConfigKey {
        requireNonNull(name, "name");
        requireNonNull(description, "description");
    }
}

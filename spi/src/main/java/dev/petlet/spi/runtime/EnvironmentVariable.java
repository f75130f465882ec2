package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

/**
 * One environment variable, its value fully resolved by the core ({@code $(VAR)} references expanded, secrets
 * and the downward API filled in).
 *
 * @param name the variable name
 * @param value the value, possibly empty
 */
public record EnvironmentVariable(String name, String value) {
    public EnvironmentVariable {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
        if (name.isEmpty() || name.indexOf('=') >= 0) {
            throw new IllegalArgumentException("environment variable name must be non-empty without '=': " + name);
        }
    }
}

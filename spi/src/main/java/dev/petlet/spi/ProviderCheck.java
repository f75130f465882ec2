package dev.petlet.spi;

import static java.util.Objects.requireNonNull;

/**
 * The result of one thing a provider needs on this machine, as {@code petlet doctor} shows it: "Podman API
 * socket /run/podman/podman.sock answers". Immutable.
 *
 * @param description what was checked, as a short phrase naming the object
 * @param passed whether the machine has it
 * @param advice nullable: when not passed, a sentence saying what to fix ("start it with `podman system
 *     service`"); {@code null} when passed
 */
public record ProviderCheck(String description, boolean passed, String advice) {
    public ProviderCheck {
        requireNonNull(description, "description");
        if (!passed) {
            requireNonNull(advice, "advice");
        }
    }

    /** A check that passed. */
    public static ProviderCheck passed(String description) {
        return new ProviderCheck(description, true, null);
    }

    /** A check that failed, with what to do about it. */
    public static ProviderCheck failed(String description, String advice) {
        return new ProviderCheck(description, false, advice);
    }
}

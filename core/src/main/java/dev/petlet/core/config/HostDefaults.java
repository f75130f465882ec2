package dev.petlet.core.config;

import java.util.Optional;

/** What the configuration falls back to when {@code nodeName} or {@code nodeIP} is not set. */
public interface HostDefaults {
    /** The host name, as the kernel reports it. */
    String hostname();

    /** The IPv4 address of the interface with the default route, if there is one. */
    Optional<String> primaryIPv4();

    /** This machine. */
    static HostDefaults system() {
        return new SystemHostDefaults();
    }
}

package dev.petlet.spi.runtime;

/** Which output stream of a process some bytes came from. */
public enum StreamType {
    STDOUT,
    STDERR
}

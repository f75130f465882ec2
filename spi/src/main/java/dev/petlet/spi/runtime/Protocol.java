package dev.petlet.spi.runtime;

/** A transport protocol of a port mapping. */
public enum Protocol {
    TCP,
    UDP,
    SCTP
}

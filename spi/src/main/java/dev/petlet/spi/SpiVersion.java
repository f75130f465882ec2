package dev.petlet.spi;

/**
 * The version of this SPI. The core refuses to load a plugin built against a newer major version than
 * {@link #CURRENT}; additions that keep old providers working (new default methods, new record factories)
 * do not change it.
 */
public final class SpiVersion {
    /** The SPI version this jar defines. */
    public static final int CURRENT = 1;

    private SpiVersion() {}
}

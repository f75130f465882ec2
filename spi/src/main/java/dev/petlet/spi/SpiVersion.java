package dev.petlet.spi;

/**
 * The version of this SPI, and the rule for which providers the core loads.
 *
 * <p>A provider jar states the SPI version it was built against in its manifest, as the attribute {@value
 * #MANIFEST_ATTRIBUTE} (for example {@code Petlet-Spi-Version: 1}). The core loads it when that version lies
 * between {@link #OLDEST_SUPPORTED} and {@link #CURRENT}, and refuses it at startup otherwise, naming the
 * provider and both versions. Additions that keep every older provider working (new default methods, new
 * records, new enum constants documented as such) do not change {@link #CURRENT}; the build checks this with a
 * binary-compatibility comparison against the last released SPI. A change that breaks old providers raises
 * {@link #CURRENT} and {@link #OLDEST_SUPPORTED} together.
 *
 * <p>Providers learn the version of the core they run in from {@link ProviderContext#spiVersion()}.
 */
public final class SpiVersion {
    /** The SPI version this jar defines. */
    public static final int CURRENT = 1;

    /** The oldest SPI version whose providers still load. */
    public static final int OLDEST_SUPPORTED = 1;

    /** The manifest attribute in which a provider jar states the SPI version it was built against. */
    public static final String MANIFEST_ATTRIBUTE = "Petlet-Spi-Version";

    private SpiVersion() {}

    /** Whether a provider built against {@code version} loads in this SPI. */
    public static boolean supports(int version) {
        return version >= OLDEST_SUPPORTED && version <= CURRENT;
    }
}

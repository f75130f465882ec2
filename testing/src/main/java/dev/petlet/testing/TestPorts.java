package dev.petlet.testing;

/**
 * Shifts every fixed port the E2E tests listen on by {@code PETLET_E2E_PORT_OFFSET} (default 0), so two
 * checkouts can run their E2E suites on one machine at once, each with its own sandbox and registry.
 */
public final class TestPorts {
    /** The environment variable that holds the offset. */
    public static final String OFFSET_VARIABLE = "PETLET_E2E_PORT_OFFSET";

    private TestPorts() {}

    /** The offset from the environment: 0 when unset; a clear error when it is not a small number. */
    public static int offset() {
        String value = System.getenv(OFFSET_VARIABLE);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(value.trim());
            if (offset < 0 || offset > 9000) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(
                    OFFSET_VARIABLE + "=" + value + " is not a port offset: use a whole number from 0 to 9000");
        }
    }

    /** {@code port} shifted by the offset. */
    public static int shift(int port) {
        return port + offset();
    }

    /** A name that differs between offsets: {@code name} itself at offset 0, else {@code name-<offset>}. */
    public static String suffixed(String name) {
        int offset = offset();
        return offset == 0 ? name : name + "-" + offset;
    }
}

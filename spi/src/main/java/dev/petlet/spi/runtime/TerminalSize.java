package dev.petlet.spi.runtime;

/**
 * The size of a terminal in character cells.
 *
 * @param width columns, at least 1
 * @param height rows, at least 1
 */
public record TerminalSize(int width, int height) {
    public TerminalSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("terminal size must be at least 1x1, was " + width + "x" + height);
        }
    }
}

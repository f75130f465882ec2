package dev.petlet.core.volume;

import java.util.Arrays;

/** One file of an API-backed volume: its bytes and permission bits (e.g. {@code 0644}). */
record FileProjection(byte[] data, int mode) {
    @Override
    public boolean equals(Object other) {
        return other instanceof FileProjection that && mode == that.mode && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + mode;
    }

    @Override
    public String toString() {
        return "FileProjection[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]"; // never the data
    }
}

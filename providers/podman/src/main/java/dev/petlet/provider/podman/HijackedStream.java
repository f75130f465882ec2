package dev.petlet.provider.podman;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The two directions of a connection Podman hijacked for exec or attach: the process's output in Podman's
 * framing (or raw with a terminal) and its standard input. {@link #close()} works from any thread, at any
 * point, and wakes up whoever reads or writes.
 */
interface HijackedStream extends AutoCloseable {
    /** What Podman sends; ends when it closes the connection. */
    InputStream body();

    /** Raw bytes to Podman; closing it half-closes the connection (end of the process's input). */
    OutputStream requestBody();

    @Override
    void close();
}

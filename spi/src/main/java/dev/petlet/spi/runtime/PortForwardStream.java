package dev.petlet.spi.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A byte stream connected to a port inside a pod, returned by {@link ContainerRuntime#portForward}. One
 * thread may read while another writes. The caller owns it and must {@link #close()} it; closing twice is
 * harmless.
 */
public interface PortForwardStream extends AutoCloseable {
    /** Bytes from the pod; ends when the pod side closes its end. */
    InputStream input();

    /** Bytes to the pod; closing it half-closes the connection (the pod reads end-of-file). */
    OutputStream output();

    /** Closes both directions. */
    @Override
    void close();
}

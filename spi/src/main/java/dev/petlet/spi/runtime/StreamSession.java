package dev.petlet.spi.runtime;

import dev.petlet.spi.ProviderException;
import java.io.OutputStream;
import java.util.concurrent.CompletionStage;

/**
 * A live connection to a process in a container, returned by {@link ContainerRuntime#exec} and {@link
 * ContainerRuntime#attach}. Output goes to the {@link OutputSink} given when it was opened. Thread-safe: input
 * may be written from one thread while another resizes or closes.
 *
 * <p>The caller owns the session and must {@link #close()} it, also after the process ended; closing twice is
 * harmless.
 */
public interface StreamSession extends AutoCloseable {
    /**
     * The process's standard input. Writes block while the process does not read (backpressure); closing it
     * sends end-of-file to the process and keeps output flowing. If standard input was not requested, writes
     * fail with an {@link java.io.IOException}.
     */
    OutputStream stdin();

    /**
     * Resizes the terminal. Ignored without a terminal and after the process ended.
     *
     * @throws ProviderException with {@link dev.petlet.spi.ErrorCode#UNAVAILABLE} if the runtime cannot be
     *     reached
     */
    void resize(TerminalSize size) throws ProviderException;

    /**
     * Completes with the process's exit code once it ended and all its output was delivered to the sink. For
     * attach sessions this is the container's exit code. Completes exceptionally with a {@link
     * ProviderException} if the connection broke or the sink threw, and with a {@link
     * java.util.concurrent.CancellationException} if the session was closed first.
     */
    CompletionStage<Integer> exitCode();

    /**
     * Ends the session and releases its connection. If the process is still running it keeps running
     * (detached); it is not killed.
     */
    @Override
    void close();
}

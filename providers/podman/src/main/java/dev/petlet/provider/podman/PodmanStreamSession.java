package dev.petlet.provider.podman;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.OutputSink;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.StreamType;
import dev.petlet.spi.runtime.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;

/**
 * An exec or attach session over a hijacked connection. One reader thread copies the process's output to the
 * sink (raw bytes with a terminal, multiplexed frames without), then asks Podman for the exit code. Standard
 * input is written straight to the connection by the caller's thread.
 */
final class PodmanStreamSession implements StreamSession {
    /** How the exit code is fetched once the output ended. */
    @FunctionalInterface
    interface ExitCodeSource {
        int exitCode() throws ProviderException;
    }

    /** How the terminal is resized. */
    @FunctionalInterface
    interface Resizer {
        void resize(TerminalSize size) throws ProviderException;
    }

    private static final int RAW_CHUNK_BYTES = 32 << 10;

    private final HttpExchange exchange;
    private final boolean tty;
    private final OutputStream stdin;
    private final Resizer resizer;
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private volatile boolean closed;

    private PodmanStreamSession(HttpExchange exchange, boolean tty, boolean stdin, Resizer resizer) {
        this.exchange = exchange;
        this.tty = tty;
        this.stdin = stdin ? exchange.requestBody() : new NoInputStream();
        this.resizer = resizer;
    }

    /** Starts copying output of an upgraded exchange on a new thread. */
    static PodmanStreamSession start(
            HttpExchange exchange,
            String action,
            boolean tty,
            boolean stdin,
            OutputSink sink,
            ExitCodeSource exitCodes,
            Resizer resizer,
            ThreadFactory threads) {
        PodmanStreamSession session = new PodmanStreamSession(exchange, tty, stdin, resizer);
        threads.newThread(() -> session.run(action, sink, exitCodes)).start();
        return session;
    }

    private void run(String action, OutputSink sink, ExitCodeSource exitCodes) {
        try {
            try (InputStream output = exchange.body()) {
                if (tty) {
                    copyRaw(output, sink);
                } else {
                    copyFrames(output, sink);
                }
            }
            exitCode.complete(exitCodes.exitCode());
        } catch (Throwable failure) {
            if (closed) {
                exitCode.completeExceptionally(new CancellationException("session closed"));
            } else {
                exitCode.completeExceptionally(ExchangeSubscription.asProviderFailure(action, failure));
            }
        } finally {
            exchange.close();
        }
    }

    private void copyRaw(InputStream output, OutputSink sink) throws IOException {
        byte[] buffer = new byte[RAW_CHUNK_BYTES];
        int count;
        while ((count = output.read(buffer)) >= 0) {
            if (count > 0) {
                deliver(sink, StreamType.STDOUT, Arrays.copyOf(buffer, count));
            }
        }
    }

    private void copyFrames(InputStream output, OutputSink sink) throws IOException {
        MultiplexedStreamReader reader = new MultiplexedStreamReader(output);
        MultiplexedStreamReader.Frame frame;
        while ((frame = reader.next()) != null) {
            StreamType stream = frame.streamType();
            if (stream != null && frame.payload().length > 0) {
                deliver(sink, stream, frame.payload());
            }
        }
    }

    private void deliver(OutputSink sink, StreamType stream, byte[] data) throws IOException {
        if (closed) {
            throw new IOException("session closed");
        }
        try {
            sink.accept(stream, data);
        } catch (IOException | RuntimeException e) {
            throw new ExchangeSubscription.SinkException(e);
        }
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public void resize(TerminalSize size) throws ProviderException {
        if (tty && !exitCode.isDone() && !closed) {
            resizer.resize(size);
        }
    }

    @Override
    public CompletionStage<Integer> exitCode() {
        return exitCode;
    }

    @Override
    public void close() {
        closed = true;
        exchange.close();
        exitCode.completeExceptionally(new CancellationException("session closed"));
    }

    /** Standard input of a session that did not ask for it. */
    private static final class NoInputStream extends OutputStream {
        @Override
        public void write(int value) throws IOException {
            throw new IOException("this session was opened without standard input");
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            throw new IOException("this session was opened without standard input");
        }
    }
}

package dev.petlet.provider.podman;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.OutputSink;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.StreamType;
import dev.petlet.spi.runtime.TerminalSize;
import java.io.ByteArrayOutputStream;
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

    /**
     * Most bytes handed to the sink at once. Output is read in pieces as large as what has arrived, and
     * conmon's small frames (8 KiB) of one stream are joined while more are waiting: every hand-off to the
     * sink is a thread switch on the way to the client, which costs dearly on a busy machine.
     */
    static final int MAX_CHUNK_BYTES = 256 << 10;

    private final HijackedStream exchange;
    private final boolean tty;
    private final OutputStream stdin;
    private final Resizer resizer;
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private volatile boolean closed;

    private PodmanStreamSession(HijackedStream exchange, boolean tty, boolean stdin, Resizer resizer) {
        this.exchange = exchange;
        this.tty = tty;
        this.stdin = stdin ? exchange.requestBody() : new NoInputStream();
        this.resizer = resizer;
    }

    /** Starts copying output of an upgraded exchange on a new thread. */
    static PodmanStreamSession start(
            HijackedStream exchange,
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
        byte[] buffer = new byte[MAX_CHUNK_BYTES];
        int count;
        while ((count = output.read(buffer)) >= 0) {
            if (count > 0) {
                deliver(sink, StreamType.STDOUT, Arrays.copyOf(buffer, count));
            }
        }
    }

    private void copyFrames(InputStream output, OutputSink sink) throws IOException {
        MultiplexedStreamReader reader = new MultiplexedStreamReader(output);
        FrameJoiner joined = new FrameJoiner();
        MultiplexedStreamReader.Frame frame;
        while ((frame = reader.next()) != null) {
            StreamType stream = frame.streamType();
            if (stream == null || frame.payload().length == 0) {
                continue;
            }
            if (!joined.accepts(stream, frame.payload().length)) {
                deliver(sink, joined.stream(), joined.take());
            }
            joined.add(stream, frame.payload());
            if (output.available() < MultiplexedStreamReader.HEADER_BYTES) {
                deliver(sink, joined.stream(), joined.take()); // nothing more waiting: pass it on now
            }
        }
        if (!joined.isEmpty()) {
            deliver(sink, joined.stream(), joined.take());
        }
    }

    /** Payloads of consecutive frames of one stream, joined up to {@link #MAX_CHUNK_BYTES}. */
    private static final class FrameJoiner {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private StreamType stream;

        boolean accepts(StreamType next, int length) {
            return bytes.size() == 0 || (next == stream && bytes.size() + length <= MAX_CHUNK_BYTES);
        }

        void add(StreamType next, byte[] payload) {
            stream = next;
            bytes.writeBytes(payload);
        }

        boolean isEmpty() {
            return bytes.size() == 0;
        }

        StreamType stream() {
            return stream;
        }

        byte[] take() {
            byte[] all = bytes.toByteArray();
            bytes.reset();
            return all;
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

package dev.petlet.core.stream;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.OutputSink;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.StreamType;
import dev.petlet.spi.runtime.TerminalSize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake process on its own thread, delivering output to the sink the way a provider does. Programs, by the
 * command's first word:
 *
 * <ul>
 *   <li>{@code echo}: copies standard input to standard output until end-of-file, exits 0;
 *   <li>{@code exit N}: writes "bye" to standard error, exits N;
 *   <li>{@code flood N}: writes N bytes to standard output, exits 0;
 *   <li>{@code sleep}: waits for end-of-file on standard input, exits 0.
 * </ul>
 */
final class FakeProcess implements StreamSession {
    private static final byte[] EOF = new byte[0];

    final List<String> command;
    final AtomicLong delivered = new AtomicLong();
    final AtomicInteger closeCalls = new AtomicInteger();
    final AtomicBoolean stdinClosed = new AtomicBoolean();
    private final OutputSink sink;
    private final List<TerminalSize> sizes;
    private final BlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closed;

    FakeProcess(List<String> command, OutputSink sink, List<TerminalSize> sizes) {
        this.command = List.copyOf(command);
        this.sink = sink;
        this.sizes = sizes;
        this.thread = Thread.ofPlatform().daemon().name("fake-process").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    boolean isClosed() {
        return closed;
    }

    private void run() {
        try {
            int code = switch (command.get(0)) {
                case "echo" -> {
                    byte[] chunk;
                    while ((chunk = input.take()) != EOF) {
                        deliver(StreamType.STDOUT, chunk);
                    }
                    yield 0;
                }
                case "exit" -> {
                    deliver(StreamType.STDERR, "bye".getBytes(StandardCharsets.UTF_8));
                    yield Integer.parseInt(command.get(1));
                }
                case "flood" -> {
                    long remaining = Long.parseLong(command.get(1));
                    while (remaining > 0) {
                        byte[] chunk = new byte[(int) Math.min(32 * 1024, remaining)];
                        Arrays.fill(chunk, (byte) 'x');
                        deliver(StreamType.STDOUT, chunk);
                        remaining -= chunk.length;
                    }
                    yield 0;
                }
                case "sleep" -> {
                    while (input.take() != EOF) {
                        // Discard.
                    }
                    yield 0;
                }
                default -> throw new IllegalArgumentException("no fake program " + command);
            };
            exitCode.complete(code);
        } catch (InterruptedException e) {
            exitCode.completeExceptionally(new CancellationException("session closed"));
        } catch (RuntimeException e) {
            exitCode.completeExceptionally(new ProviderException(ErrorCode.INVALID, e.getMessage(), e));
        } catch (IOException e) {
            exitCode.completeExceptionally(
                    closed
                            ? new CancellationException("session closed")
                            : new ProviderException(ErrorCode.UNAVAILABLE, "output failed: " + e.getMessage(), e));
        }
    }

    private void deliver(StreamType type, byte[] data) throws IOException {
        if (closed) {
            throw new IOException("session closed");
        }
        sink.accept(type, data);
        delivered.addAndGet(data.length);
    }

    @Override
    public OutputStream stdin() {
        return new OutputStream() {
            @Override
            public void write(int value) throws IOException {
                write(new byte[] {(byte) value}, 0, 1);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                if (closed || exitCode.isDone()) {
                    throw new IOException("process ended");
                }
                input.add(Arrays.copyOfRange(buffer, offset, offset + length));
            }

            @Override
            public void close() {
                stdinClosed.set(true);
                input.add(EOF);
            }
        };
    }

    @Override
    public void resize(TerminalSize size) {
        sizes.add(size);
    }

    @Override
    public CompletionStage<Integer> exitCode() {
        return exitCode;
    }

    @Override
    public void close() {
        closeCalls.incrementAndGet();
        closed = true;
        thread.interrupt();
        exitCode.completeExceptionally(new CancellationException("session closed"));
    }
}

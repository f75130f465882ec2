package dev.petlet.provider.podman;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.AttachRequest;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * One attach connection to a container whose standard input must outlive attach sessions (stdin without
 * {@code stdinOnce}), shared by all of them. conmon closes a container's stdin as soon as any attach
 * connection to it ends, unless Podman started it with {@code --leave-stdin-open}, which Podman 4.3 never
 * does; so petlet keeps a single connection open until the container exits, and each attach session joins
 * it: it receives the output written while it is joined and writes to the shared standard input, whose end
 * of input it does not pass on (the kubelet's semantics: without {@code stdinOnce} stdin stays open).
 *
 * <p>One reader thread copies the output to the sessions; a session whose sink throws leaves. Once the
 * container exits, every session completes with its exit code.
 */
final class SharedAttach implements AutoCloseable {
    private static final int RAW_CHUNK_BYTES = 32 << 10;

    private final HttpExchange exchange;
    private final boolean tty;
    private final OutputStream stdin;
    private final CopyOnWriteArrayList<Member> members = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean closed;

    private SharedAttach(HttpExchange exchange, boolean tty) {
        this.exchange = exchange;
        this.tty = tty;
        this.stdin = exchange.requestBody();
    }

    /**
     * Starts copying the output of an upgraded attach exchange (stdin, stdout and stderr) on a new thread.
     *
     * @param exitCodes asked once for the container's exit code when its output ends
     */
    static SharedAttach start(
            HttpExchange exchange,
            String action,
            boolean tty,
            PodmanStreamSession.ExitCodeSource exitCodes,
            ThreadFactory threads) {
        SharedAttach shared = new SharedAttach(exchange, tty);
        threads.newThread(() -> shared.run(action, exitCodes)).start();
        return shared;
    }

    /** Whether sessions may still join: the container has not exited and the connection is open. */
    boolean isOpen() {
        return !ended.isDone() && !closed;
    }

    /** Completes once the shared connection ended. */
    CompletionStage<Void> ended() {
        return ended;
    }

    /** A new session on this connection; it receives output from now on. */
    StreamSession join(AttachRequest request, OutputSink sink, PodmanStreamSession.Resizer resizer) {
        Member member = new Member(request, sink, resizer);
        members.add(member);
        if (!isOpen()) {
            members.remove(member);
            member.exitCode.completeExceptionally(
                    new ProviderException(ErrorCode.INVALID, "the container's attach ended"));
        }
        return member;
    }

    private void run(String action, PodmanStreamSession.ExitCodeSource exitCodes) {
        Throwable failure = null;
        try (InputStream output = exchange.body()) {
            if (tty) {
                byte[] buffer = new byte[RAW_CHUNK_BYTES];
                int count;
                while ((count = output.read(buffer)) >= 0) {
                    if (count > 0) {
                        deliver(StreamType.STDOUT, Arrays.copyOf(buffer, count));
                    }
                }
            } else {
                MultiplexedStreamReader reader = new MultiplexedStreamReader(output);
                MultiplexedStreamReader.Frame frame;
                while ((frame = reader.next()) != null) {
                    if (frame.streamType() != null && frame.payload().length > 0) {
                        deliver(frame.streamType(), frame.payload());
                    }
                }
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            exchange.close();
            ended.complete(null);
        }
        Integer code = null;
        if (failure == null && !closed) {
            try {
                code = exitCodes.exitCode();
            } catch (Throwable e) {
                failure = e;
            }
        }
        for (Member member : members) {
            members.remove(member);
            if (code != null) {
                member.exitCode.complete(code);
            } else if (closed) {
                member.exitCode.completeExceptionally(new CancellationException("attach closed"));
            } else {
                member.exitCode.completeExceptionally(ExchangeSubscription.asProviderFailure(action, failure));
            }
        }
    }

    private void deliver(StreamType stream, byte[] data) {
        for (Member member : members) {
            if (!member.wants(stream)) {
                continue;
            }
            try {
                member.sink.accept(stream, data);
            } catch (IOException | RuntimeException e) {
                members.remove(member);
                member.exitCode.completeExceptionally(e);
            }
        }
    }

    /** Ends the shared connection, and with it every session on it. */
    @Override
    public void close() {
        closed = true;
        exchange.close();
    }

    /** One attach session on the shared connection. */
    private final class Member implements StreamSession {
        private final AttachRequest request;
        private final OutputSink sink;
        private final PodmanStreamSession.Resizer resizer;
        private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        private final OutputStream input = new MemberInput();
        private volatile boolean left;

        Member(AttachRequest request, OutputSink sink, PodmanStreamSession.Resizer resizer) {
            this.request = request;
            this.sink = sink;
            this.resizer = resizer;
        }

        boolean wants(StreamType stream) {
            return tty || (stream == StreamType.STDERR ? request.stderr() : request.stdout());
        }

        @Override
        public OutputStream stdin() {
            return input;
        }

        @Override
        public void resize(TerminalSize size) throws ProviderException {
            if (tty && !left && !exitCode.isDone()) {
                resizer.resize(size);
            }
        }

        @Override
        public CompletionStage<Integer> exitCode() {
            return exitCode;
        }

        @Override
        public void close() {
            left = true;
            members.remove(this);
            exitCode.completeExceptionally(new CancellationException("session closed"));
        }

        /** Writes to the shared standard input; closing ends only this session's input, not the container's. */
        private final class MemberInput extends OutputStream {
            private volatile boolean inputClosed;

            @Override
            public void write(int value) throws IOException {
                write(new byte[] {(byte) value}, 0, 1);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                if (!request.stdin()) {
                    throw new IOException("this session was opened without standard input");
                }
                if (inputClosed || left) {
                    throw new IOException("stream closed");
                }
                synchronized (stdin) {
                    stdin.write(buffer, offset, length);
                }
            }

            @Override
            public void close() {
                inputClosed = true;
            }
        }
    }
}

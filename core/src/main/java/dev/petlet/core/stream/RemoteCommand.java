package dev.petlet.core.stream;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.stream.StreamTarget.Kind;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.AttachRequest;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.OutputSink;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.StreamType;
import dev.petlet.spi.runtime.TerminalSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or attach session, independent of the transport: the transport hands in the client's streams and
 * input, this runs the process through the runtime, copies its output out, and at the end writes the outcome
 * on the error stream and asks the transport to end the connection.
 *
 * <p>Threads: the transport calls {@link #start}, {@link #stdin}, {@link #stdinEnd}, {@link #resize} and {@link
 * #clientGone} from the event loop. The runtime is called on a worker thread; output arrives on the provider's
 * thread and waits there while the client is behind; the end is handled on a worker thread.
 */
final class RemoteCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCommand.class);
    /**
     * How long an exec with a terminal waits for the client's first size before it starts anyway: clients
     * send it right after opening their streams (kubectl does), so the process starts with the right size.
     */
    static final Duration FIRST_SIZE_WAIT = Duration.ofSeconds(2);

    private final StreamTarget target;
    private final StreamOptions options;
    private final boolean jsonStatus;
    private final Runnable endConnection;
    private final InputPump stdin;
    private final ResizeDecoder resizeDecoder = new ResizeDecoder();
    private final AtomicReference<TerminalSize> pendingSize = new AtomicReference<>();
    private final AtomicBoolean resizing = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final boolean awaitsFirstSize;
    private final CountDownLatch firstSize = new CountDownLatch(1);
    private volatile ClientStream stdout;
    private volatile ClientStream stderr;
    private volatile ClientStream error;
    private volatile StreamSession session;
    private volatile boolean started;
    private volatile boolean gone;

    /**
     * @param jsonStatus whether the outcome is a JSON {@code metav1.Status} (v4 and later) or plain text
     * @param sizes whether the client sends terminal sizes (a terminal and a protocol with resizes)
     * @param endConnection ends the connection once everything is written (after the streams are closed)
     */
    RemoteCommand(
            StreamTarget target,
            StreamOptions options,
            boolean jsonStatus,
            boolean sizes,
            FlowControl flow,
            Runnable endConnection) {
        this.target = requireNonNull(target, "target");
        this.options = requireNonNull(options, "options");
        this.jsonStatus = jsonStatus;
        this.endConnection = requireNonNull(endConnection, "endConnection");
        this.stdin = options.stdin() ? new InputPump("stdin of container " + target.containerId(), flow) : null;
        this.awaitsFirstSize = sizes && options.tty() && target.kind() == Kind.EXEC;
    }

    void stdout(ClientStream stream) {
        this.stdout = stream;
    }

    void stderr(ClientStream stream) {
        this.stderr = stream;
    }

    void error(ClientStream stream) {
        this.error = stream;
    }

    /** Runs the process; the streams the client asked for are in place. At most once. */
    void start() {
        if (started) {
            return;
        }
        started = true;
        StreamThreads.start(this::run);
    }

    /** Bytes for the process's standard input; ignored unless the client asked for stdin. */
    void stdin(ByteBuf data) {
        if (stdin != null) {
            stdin.offer(data);
        }
    }

    /** The client closed standard input: the process reads end-of-file after what was sent. */
    void stdinEnd() {
        if (stdin != null) {
            stdin.end();
        }
    }

    /** The client stopped sending without ending its input: drop what is queued, leave the process's stdin open. */
    void stdinAbandoned() {
        if (stdin != null) {
            stdin.stop();
        }
    }

    /** Bytes of the resize stream. */
    void resize(ByteBuf data) {
        if (!options.tty()) {
            return;
        }
        List<TerminalSize> sizes = resizeDecoder.feed(ByteBufUtil.getBytes(data));
        if (!sizes.isEmpty()) {
            pendingSize.set(sizes.get(sizes.size() - 1));
            firstSize.countDown();
            applyResizes();
        }
    }

    /** The client went away: end the session, which stops its output. */
    void clientGone() {
        gone = true;
        firstSize.countDown();
        if (stdin != null) {
            stdin.stop();
        }
        StreamSession current = session;
        if (current != null) {
            current.close();
        }
    }

    private void run() {
        if (awaitsFirstSize) {
            awaitFirstSize();
        }
        StreamSession opened;
        try {
            opened = open();
        } catch (ProviderException | RuntimeException e) {
            if (e instanceof RuntimeException) {
                LOG.warn("{} failed unexpectedly", describe(), e);
            }
            finish(new CommandOutcome.Failure(failurePrefix() + reason(e)));
            return;
        }
        session = opened;
        if (gone) {
            opened.close();
            finish(null);
            return;
        }
        LOG.debug("{} started", describe());
        if (stdin != null) {
            stdin.start(opened.stdin());
        }
        applyResizes();
        opened.exitCode().whenCompleteAsync((code, failure) -> finish(outcome(code, failure)), StreamThreads::start);
    }

    /** Waits, boundedly, for the client's first terminal size: an exec process starts with its size. */
    private void awaitFirstSize() {
        try {
            if (!firstSize.await(FIRST_SIZE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("{}: no terminal size after {}, starting without", describe(), FIRST_SIZE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private StreamSession open() throws ProviderException {
        OutputSink sink = this::deliver;
        if (target.kind() == Kind.EXEC) {
            // A size that came before the process started becomes its initial size.
            TerminalSize initial = options.tty() ? pendingSize.getAndSet(null) : null;
            ExecRequest request = new ExecRequest(
                    options.command(), options.tty(), options.stdin(), options.stdout(), options.stderr(), initial);
            return target.runtime().exec(target.containerId(), request, sink);
        }
        return target.runtime()
                .attach(
                        target.containerId(),
                        new AttachRequest(options.stdin(), options.stdout(), options.stderr()),
                        sink);
    }

    /** The output sink: waits while the client is behind, and throws once it is gone, which ends the session. */
    private void deliver(StreamType type, byte[] data) throws IOException {
        ClientStream stream = type == StreamType.STDERR ? stderr : stdout;
        if (stream != null) {
            stream.write(data);
        }
    }

    private CommandOutcome outcome(Integer code, Throwable failure) {
        if (failure != null) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof CancellationException || gone) {
                return null;
            }
            return new CommandOutcome.Failure(failurePrefix() + reason(cause));
        }
        if (target.kind() == Kind.EXEC && code != 0) {
            return new CommandOutcome.NonZeroExit(code, options.command());
        }
        return new CommandOutcome.Success();
    }

    /** Reports the outcome (null: nobody to tell), closes everything and ends the connection. Once. */
    private void finish(CommandOutcome outcome) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        LOG.debug("{} ended: {}", describe(), outcome == null ? "client gone" : outcome);
        if (stdin != null) {
            stdin.stop();
        }
        closeQuietly(stdout);
        closeQuietly(stderr);
        ClientStream errorStream = error;
        if (outcome != null && errorStream != null && !gone) {
            byte[] status = jsonStatus ? CommandOutcome.json(outcome) : CommandOutcome.text(outcome);
            try {
                if (status.length > 0) {
                    errorStream.write(status);
                }
            } catch (IOException e) {
                LOG.debug("could not report the end of {}: {}", describe(), e.toString());
            }
        }
        closeQuietly(errorStream);
        StreamSession current = session;
        if (current != null) {
            current.close();
        }
        endConnection.run();
    }

    private void applyResizes() {
        if (session == null || !resizing.compareAndSet(false, true)) {
            return;
        }
        StreamThreads.start(() -> {
            try {
                TerminalSize size;
                while ((size = pendingSize.getAndSet(null)) != null) {
                    session.resize(size);
                }
            } catch (ProviderException | RuntimeException e) {
                LOG.debug("could not resize the terminal of {}: {}", describe(), e.toString());
            } finally {
                resizing.set(false);
            }
            if (pendingSize.get() != null) {
                applyResizes();
            }
        });
    }

    private String failurePrefix() {
        return target.kind() == Kind.EXEC ? "error executing command in container: " : "error attaching to container: ";
    }

    private String describe() {
        return (target.kind() == Kind.EXEC ? "exec in container " : "attach to container ") + target.containerId();
    }

    /** A failure as a sentence: its message, or what it is if it has none. */
    static String reason(Throwable failure) {
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }

    private static void closeQuietly(ClientStream stream) {
        if (stream != null) {
            stream.close();
        }
    }
}

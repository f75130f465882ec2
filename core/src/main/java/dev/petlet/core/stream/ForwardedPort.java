package dev.petlet.core.stream;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.PortForwardStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded connection, independent of the transport: a data stream and an error stream toward the client,
 * a {@link PortForwardStream} into the pod, and bytes copied both ways. Client bytes may arrive before the pod
 * connection exists; they wait in an {@link InputPump}. The client's end of input half-closes toward the pod;
 * the pod's end of output ends the pair. A failure is written to the error stream and ends this pair only.
 *
 * <p>Threads: {@link #fromClient}, {@link #clientEnd}, {@link #abort} and {@link #printError} come from the event
 * loop. Connecting and reading from the pod run on one worker thread, writing to the pod on another.
 */
final class ForwardedPort {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardedPort.class);
    /**
     * Largest piece read from the pod at once: what has arrived, up to this, goes on in one hand-off. Read into
     * a pooled buffer that goes to the client as it is: a fresh array per read, and a copy of it, cost the
     * relay more CPU than the bytes themselves (young collections every few MiB).
     */
    private static final int CHUNK = 256 * 1024;

    private final StreamTarget target;
    private final int port;
    private final boolean jsonErrors;
    private final Runnable onDone;
    private final InputPump toPod;
    private final ByteBufAllocator buffers;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile ClientStream data;
    private volatile ClientStream error;
    private volatile PortForwardStream pod;
    private volatile boolean aborted;

    /**
     * @param jsonErrors whether errors are the JSON object of the SPDY protocol ({@code closeConnection},
     *     {@code message}) rather than the plain text of the WebSocket protocol
     * @param onDone called once when the pair has ended, from any thread
     */
    ForwardedPort(StreamTarget target, int port, boolean jsonErrors, FlowControl flow, Runnable onDone) {
        this.target = requireNonNull(target, "target");
        this.port = port;
        this.jsonErrors = jsonErrors;
        this.onDone = requireNonNull(onDone, "onDone");
        this.toPod = new InputPump("port " + port + " of pod sandbox " + target.sandboxId(), flow);
        this.buffers = flow.buffers();
    }

    void data(ClientStream stream) {
        this.data = stream;
    }

    void error(ClientStream stream) {
        this.error = stream;
    }

    /** Connects to the pod and starts copying; both streams are in place. At most once. */
    void start() {
        if (started.compareAndSet(false, true)) {
            StreamThreads.start(this::run);
        }
    }

    /** Bytes from the client for the pod. */
    void fromClient(ByteBuf bytes) {
        toPod.offer(bytes);
    }

    /** The client will send nothing more: the pod reads end-of-file once the queued bytes are written. */
    void clientEnd() {
        toPod.end();
    }

    /** Ends the pair without reporting anything: the client reset it, or the connection closed. Idempotent. */
    void abort() {
        aborted = true;
        toPod.stop();
        PortForwardStream current = pod;
        if (current != null) {
            current.close();
        }
        if (!started.get()) {
            finish();
        }
    }

    /** Writes a message to the error stream, if there is one; plain text, as upstream reports pairing problems. */
    void printError(String message) {
        ClientStream stream = error;
        if (stream != null) {
            try {
                stream.write(message.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                LOG.debug("could not report \"{}\" to the client: {}", message, e.toString());
            }
        }
    }

    private void run() {
        try {
            pod = target.runtime().portForward(target.sandboxId(), port);
        } catch (ProviderException | RuntimeException e) {
            if (e instanceof RuntimeException) {
                LOG.warn("port-forward to port {} of pod sandbox {} failed unexpectedly", port, target.sandboxId(), e);
            }
            if (jsonErrors
                    && e instanceof ProviderException unavailable
                    && unavailable.code() == ErrorCode.UNAVAILABLE) {
                // Nothing listens on that port of the pod. Over SPDY any error payload makes kubectl
                // drop every forwarded port, so end just this connection, as a closed port would.
                LOG.info("port-forward: {}; closing that connection only", e.getMessage());
            } else {
                report(true, RemoteCommand.reason(e));
            }
            finish();
            return;
        }
        if (aborted) {
            finish();
            return;
        }
        toPod.start(pod.output());
        try {
            InputStream input = pod.input();
            while (true) {
                ByteBuf chunk = buffers.heapBuffer(CHUNK);
                int count;
                try {
                    count = chunk.writeBytes(input, CHUNK);
                } catch (IOException | RuntimeException e) {
                    chunk.release();
                    throw e;
                }
                if (count < 0) {
                    chunk.release();
                    break;
                }
                if (count == 0) {
                    chunk.release();
                    continue;
                }
                data.write(chunk);
            }
        } catch (IOException e) {
            if (!aborted) {
                report(false, RemoteCommand.reason(e));
            }
        }
        finish();
    }

    /** Tells the client what failed; like upstream, only a failure to connect asks it to close the connection. */
    private void report(boolean closeConnection, String cause) {
        String message = "error forwarding port " + port + " to pod sandbox " + target.sandboxId() + ": " + cause;
        LOG.debug("{}", message);
        ClientStream stream = error;
        if (stream == null) {
            return;
        }
        byte[] payload;
        if (jsonErrors) {
            ObjectNode response = Json.MAPPER.createObjectNode();
            response.put("closeConnection", closeConnection);
            response.put("message", message);
            byte[] json = Json.bytes(response);
            // Go's json.Encoder ends every value with a newline.
            payload = Arrays.copyOf(json, json.length + 1);
            payload[json.length] = '\n';
        } else {
            payload = message.getBytes(StandardCharsets.UTF_8);
        }
        try {
            stream.write(payload);
        } catch (IOException e) {
            LOG.debug("could not report a port-forward failure to the client: {}", e.toString());
        }
    }

    private void finish() {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        toPod.stop();
        PortForwardStream current = pod;
        if (current != null) {
            current.close();
        }
        ClientStream dataStream = data;
        if (dataStream != null) {
            dataStream.close();
        }
        ClientStream errorStream = error;
        if (errorStream != null) {
            errorStream.close();
        }
        onDone.run();
    }
}

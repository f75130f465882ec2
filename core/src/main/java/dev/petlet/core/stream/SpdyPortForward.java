package dev.petlet.core.stream;

import dev.petlet.core.stream.StreamOptions.BadStreamRequest;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port-forward over SPDY: every forwarded connection is a pair of streams, {@code error} then {@code data},
 * matched by their {@code requestid} header (by stream id for old clients without one). A complete pair becomes
 * a {@link ForwardedPort}; a pair not complete within {@link #STREAM_CREATION_TIMEOUT} is reported and dropped.
 * Pairs are independent: one failing leaves the others and the connection alone.
 */
final class SpdyPortForward implements SpdyConnection.Application {
    private static final Logger LOG = LoggerFactory.getLogger(SpdyPortForward.class);

    /** The kubelet's {@code streamCreationTimeout}. */
    static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

    private final SpdyConnection connection;
    private final StreamTarget target;
    private final Map<String, Pair> pairs = new HashMap<>();

    SpdyPortForward(SpdyConnection connection, StreamTarget target) {
        this.connection = connection;
        this.target = target;
    }

    /** The streams of one forwarded connection as they arrive. Event loop only. */
    private final class Pair {
        final String requestId;
        final ForwardedPort forward;
        SpdyStream error;
        SpdyStream data;
        boolean started;

        Pair(String requestId, int port) {
            this.requestId = requestId;
            this.forward = new ForwardedPort(target, port, true, connection.flow(), this::done);
            connection.schedule(this::timedOut, STREAM_CREATION_TIMEOUT);
        }

        private void done() {
            connection.onEventLoop(() -> pairs.remove(requestId, this));
        }

        private void timedOut() {
            if (!started && pairs.get(requestId) == this) {
                forward.printError("timed out waiting for the streams of request " + requestId);
                forward.abort();
                pairs.remove(requestId);
            }
        }
    }

    @Override
    public String check(SpdyStream stream) {
        String port = stream.header("port");
        if (port == null || port.isEmpty()) {
            return "\"port\" header is required";
        }
        try {
            StreamOptions.port(port);
        } catch (BadStreamRequest e) {
            return e.getMessage();
        }
        String type = stream.header("streamtype");
        if (type == null || type.isEmpty()) {
            return "\"streamType\" header is required";
        }
        if (!type.equals("error") && !type.equals("data")) {
            return "invalid stream type \"" + type + "\"";
        }
        return null;
    }

    @Override
    public void opened(SpdyStream stream) {
        String requestId = requestId(stream);
        Pair pair = pairs.computeIfAbsent(
                requestId,
                id -> new Pair(id, Integer.parseInt(stream.header("port").trim())));
        boolean isError = stream.header("streamtype").equals("error");
        if (isError ? pair.error != null : pair.data != null) {
            String message = "error processing stream for request " + requestId + ": " + (isError ? "error" : "data")
                    + " stream already assigned";
            LOG.debug("{}", message);
            pair.forward.printError(message);
            stream.reset();
            return;
        }
        if (isError) {
            pair.error = stream;
            pair.forward.error(stream);
        } else {
            pair.data = stream;
            pair.forward.data(stream);
            stream.listen(new SpdyStream.Listener() {
                @Override
                public void data(ByteBuf data) {
                    pair.forward.fromClient(data);
                }

                @Override
                public void end() {
                    pair.forward.clientEnd();
                }

                @Override
                public void reset() {
                    pair.forward.abort();
                }
            });
        }
        if (pair.error != null && pair.data != null) {
            pair.started = true;
            pair.forward.start();
        }
    }

    /** The pair a stream belongs to; without a request id, consecutive odd stream ids pair up, as upstream does. */
    private static String requestId(SpdyStream stream) {
        String requestId = stream.header("requestid");
        if (requestId != null && !requestId.isEmpty()) {
            return requestId;
        }
        return Integer.toString(stream.header("streamtype").equals("data") ? stream.id() - 2 : stream.id());
    }

    @Override
    public void closed() {
        for (Pair pair : new ArrayList<>(pairs.values())) {
            pair.forward.abort();
        }
        pairs.clear();
    }
}

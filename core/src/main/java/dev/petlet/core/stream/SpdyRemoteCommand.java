package dev.petlet.core.stream;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec or attach over SPDY: waits for the client to open its streams (error first, then stdin, stdout, stderr
 * and resize as requested), then runs the {@link RemoteCommand}. Like the kubelet, it counts every stream the
 * client opens toward the expected number, and gives up after {@link #STREAM_CREATION_TIMEOUT}.
 */
final class SpdyRemoteCommand implements SpdyConnection.Application {
    private static final Logger LOG = LoggerFactory.getLogger(SpdyRemoteCommand.class);

    /** The kubelet's {@code streamCreationTimeout}. */
    static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

    private final SpdyConnection connection;
    private final RemoteCommand command;
    private final int expectedStreams;
    private int receivedStreams;
    private boolean started;

    SpdyRemoteCommand(SpdyConnection connection, StreamTarget target, StreamOptions options, StreamProtocol protocol) {
        this.connection = connection;
        this.command = new RemoteCommand(
                target,
                options,
                protocol.jsonStatus(),
                options.tty() && protocol.resizeStream(),
                connection.flow(),
                connection::end);
        this.expectedStreams = 1
                + (options.stdin() ? 1 : 0)
                + (options.stdout() ? 1 : 0)
                + (options.stderr() ? 1 : 0)
                + (options.tty() && protocol.resizeStream() ? 1 : 0);
        connection.schedule(this::timedOut, STREAM_CREATION_TIMEOUT);
    }

    @Override
    public String check(SpdyStream stream) {
        return started ? "all streams of the session are open already" : null;
    }

    @Override
    public void opened(SpdyStream stream) {
        String type = stream.header("streamtype");
        switch (type == null ? "" : type) {
            case "error" -> command.error(stream);
            case "stdout" -> command.stdout(stream);
            case "stderr" -> command.stderr(stream);
            case "stdin" ->
                stream.listen(new SpdyStream.Listener() {
                    @Override
                    public void data(ByteBuf data) {
                        command.stdin(data);
                    }

                    @Override
                    public void end() {
                        command.stdinEnd();
                    }

                    @Override
                    public void reset() {
                        // Abandoned, not ended: client-go resets every stream when it hangs up. Closing the
                        // process's stdin here would end an attached container's main process because a client left.
                        command.stdinAbandoned();
                    }
                });
            case "resize" ->
                stream.listen(new SpdyStream.Listener() {
                    @Override
                    public void data(ByteBuf data) {
                        command.resize(data);
                    }
                });
            default -> LOG.debug("ignoring stream {} of unknown type \"{}\"", stream.id(), type);
        }
        receivedStreams++;
        if (receivedStreams == expectedStreams) {
            started = true;
            command.start();
        }
    }

    private void timedOut() {
        if (!started) {
            LOG.debug("closing exec connection: timed out waiting for client to create streams");
            connection.close();
        }
    }

    @Override
    public void closed() {
        command.clientGone();
    }
}

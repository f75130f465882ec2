package dev.petlet.core.stream;

import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * Exec or attach over a channel WebSocket: channels 0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize, all there
 * from the start. As upstream, an empty message on the lowest channel this side writes tells the client the
 * session is open. Only v5 clients can end standard input without closing the connection.
 */
final class WebSocketRemoteCommand implements WebSocketConnection.Application {
    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;

    private final WebSocketConnection connection;
    private final StreamOptions options;
    private final RemoteCommand command;

    WebSocketRemoteCommand(
            WebSocketConnection connection, StreamTarget target, StreamOptions options, WebSocketProtocol protocol) {
        this.connection = connection;
        this.options = options;
        this.command = new RemoteCommand(
                target, options, protocol.jsonStatus(), options.tty(), connection.flow(), connection::end);
    }

    @Override
    public void opened() {
        ClientStream stdout = options.stdout() ? connection.channel(STDOUT) : null;
        ClientStream stderr = options.stderr() ? connection.channel(STDERR) : null;
        ClientStream error = connection.channel(ERROR);
        command.stdout(stdout);
        command.stderr(stderr);
        command.error(error);
        ClientStream lowest = stdout != null ? stdout : stderr != null ? stderr : error;
        try {
            lowest.write(new byte[0]);
        } catch (IOException e) {
            // Closed already; the session ends through closed().
        }
        command.start();
    }

    @Override
    public void received(int channel, ByteBuf data) {
        switch (channel) {
            case STDIN -> command.stdin(data);
            case RESIZE -> command.resize(data);
            default -> {
                // Upstream drops messages for channels it does not read.
            }
        }
    }

    @Override
    public void channelClosed(int channel) {
        if (channel == STDIN) {
            command.stdinEnd();
        }
    }

    @Override
    public void closed() {
        command.clientGone();
    }
}

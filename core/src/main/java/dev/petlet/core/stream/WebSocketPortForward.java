package dev.petlet.core.stream;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Port-forward over a channel WebSocket: one forwarded connection per {@code port} query value, on channels
 * 2i (data) and 2i+1 (error), each first carrying its port as a little-endian uint16. The connection ends when
 * every pair has ended; errors are plain text, as upstream writes them here.
 */
final class WebSocketPortForward implements WebSocketConnection.Application {
    private final WebSocketConnection connection;
    private final StreamTarget target;
    private final StreamOptions options;
    private final List<ForwardedPort> forwards = new ArrayList<>();
    private int running;

    WebSocketPortForward(WebSocketConnection connection, StreamTarget target, StreamOptions options) {
        this.connection = connection;
        this.target = target;
        this.options = options;
    }

    @Override
    public void opened() {
        List<Integer> ports = options.ports();
        running = ports.size();
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            ClientStream data = connection.channel(2 * i);
            ClientStream error = connection.channel(2 * i + 1);
            byte[] portBytes = {(byte) port, (byte) (port >>> 8)};
            try {
                data.write(portBytes);
                error.write(portBytes);
            } catch (IOException e) {
                return;
            }
            ForwardedPort forward = new ForwardedPort(target, port, false, connection.flow(), this::pairDone);
            forward.data(data);
            forward.error(error);
            forwards.add(forward);
        }
        forwards.forEach(ForwardedPort::start);
    }

    private void pairDone() {
        connection.onEventLoop(() -> {
            running--;
            if (running == 0) {
                connection.end();
            }
        });
    }

    @Override
    public void received(int channel, ByteBuf data) {
        if (channel % 2 == 0 && channel / 2 < forwards.size()) {
            forwards.get(channel / 2).fromClient(data);
        }
    }

    @Override
    public void channelClosed(int channel) {
        // No v5 port-forward protocol exists; nothing closes single channels here.
    }

    @Override
    public void closed() {
        forwards.forEach(ForwardedPort::abort);
    }
}

package dev.petlet.core.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** A tcpSocket probe: success when a connection opens within the timeout. */
public final class TcpCheck {
    private TcpCheck() {}

    public static ProbeOutcome connect(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return ProbeOutcome.passed("");
        } catch (IOException e) {
            return ProbeOutcome.failed(HttpCheck.describe(e, host, port));
        }
    }
}

package dev.petlet.provider.podman;

import dev.petlet.spi.runtime.PortForwardStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A {@link PortForwardStream} over a TCP connection from the host to the pod's address. */
final class SocketPortForwardStream implements PortForwardStream {
    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;

    SocketPortForwardStream(Socket socket) throws IOException {
        this.socket = socket;
        this.input = socket.getInputStream();
        OutputStream raw = socket.getOutputStream();
        this.output = new OutputStream() {
            @Override
            public void write(int value) throws IOException {
                raw.write(value);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                raw.write(buffer, offset, length);
            }

            @Override
            public void flush() throws IOException {
                raw.flush();
            }

            /** Half-closes: the pod reads end-of-file, and its answer still arrives. */
            @Override
            public void close() throws IOException {
                if (!socket.isClosed() && !socket.isOutputShutdown()) {
                    socket.shutdownOutput();
                }
            }
        };
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }
}

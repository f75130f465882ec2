package dev.petlet.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal client WebSocket (RFC 6455) over a TLS socket, for measuring throughput: the JDK's HttpClient
 * WebSocket hands every message through its executor and was itself the limit of the measure. Frames are sent
 * whole, with an all-zero mask (valid, and free to apply); received messages are passed on frame by frame.
 */
final class RawWebSocket implements AutoCloseable {
    /** Gets the payload of received data frames. */
    interface Receiver {
        /** A data frame's payload; {@code messageStart} is true for the first frame of a message. */
        void frame(boolean messageStart, byte[] buffer, int offset, int length);
    }

    private static final int OPCODE_CONTINUATION = 0;
    private static final int OPCODE_BINARY = 2;
    private static final int OPCODE_CLOSE = 8;
    private static final int OPCODE_PING = 9;

    private final SSLSocket socket;
    private final InputStream input;
    private final OutputStream output;

    private RawWebSocket(SSLSocket socket, InputStream input) throws IOException {
        this.socket = socket;
        this.input = input;
        this.output = socket.getOutputStream();
    }

    /** Connects to a {@code wss://} URI and completes the opening handshake with one subprotocol. */
    static RawWebSocket connect(SSLContext tls, URI uri, String subprotocol) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
        socket.setTcpNoDelay(true);
        socket.startHandshake();
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String request = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Protocol: " + subprotocol
                + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream input = new BufferedInputStream(socket.getInputStream(), 256 << 10);
        String head = readHead(input);
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("the server refused the WebSocket: "
                    + head.lines().findFirst().orElse(head));
        }
        return new RawWebSocket(socket, input);
    }

    private static String readHead(InputStream input) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int next = input.read();
            if (next < 0) {
                throw new EOFException("connection closed during the WebSocket handshake");
            }
            head.write(next);
            matched = (next == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (next == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /**
     * Sends one binary message of {@code length} bytes at {@code buffer[offset]}. The 14 bytes before {@code
     * offset} must be free: the frame header is written there, so that header and payload go out in one write.
     */
    synchronized void sendBinary(byte[] buffer, int offset, int length) throws IOException {
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        int start = offset - header - 4;
        buffer[start] = (byte) (0x80 | OPCODE_BINARY);
        if (header == 2) {
            buffer[start + 1] = (byte) (0x80 | length);
        } else if (header == 4) {
            buffer[start + 1] = (byte) (0x80 | 126);
            buffer[start + 2] = (byte) (length >>> 8);
            buffer[start + 3] = (byte) length;
        } else {
            buffer[start + 1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                buffer[start + 2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
        for (int i = 0; i < 4; i++) {
            buffer[offset - 4 + i] = 0; // the mask: zeros leave the payload as it is
        }
        output.write(buffer, start, header + 4 + length);
    }

    /** Sends a whole small binary message. */
    void sendBinary(byte[] message) throws IOException {
        byte[] buffer = new byte[14 + message.length];
        System.arraycopy(message, 0, buffer, 14, message.length);
        sendBinary(buffer, 14, message.length);
    }

    /** Reads frames until the server closes, answering pings and the close. */
    void receive(Receiver receiver) throws IOException {
        byte[] payload = new byte[256 << 10];
        boolean messageStart = true;
        while (true) {
            int first = input.read();
            if (first < 0) {
                return; // closed without a close frame
            }
            int opcode = first & 0x0f;
            boolean fin = (first & 0x80) != 0;
            int second = readByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = ((long) readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            if ((second & 0x80) != 0) {
                throw new IOException("the server masked a frame");
            }
            if (opcode == OPCODE_BINARY || opcode == OPCODE_CONTINUATION || opcode == 1) {
                long left = length;
                boolean frameStart = messageStart;
                while (left > 0) {
                    int count = input.read(payload, 0, (int) Math.min(payload.length, left));
                    if (count < 0) {
                        throw new EOFException("connection closed inside a frame");
                    }
                    receiver.frame(frameStart, payload, 0, count);
                    frameStart = false;
                    left -= count;
                }
                if (length == 0) {
                    receiver.frame(messageStart, payload, 0, 0);
                }
                messageStart = fin;
                continue;
            }
            byte[] control = input.readNBytes((int) length);
            if (control.length < length) {
                throw new EOFException("connection closed inside a control frame");
            }
            if (opcode == OPCODE_CLOSE) {
                sendControl(OPCODE_CLOSE, control.length >= 2 ? new byte[] {control[0], control[1]} : new byte[0]);
                return;
            }
            if (opcode == OPCODE_PING) {
                sendControl(0x0a, control);
            }
        }
    }

    private synchronized void sendControl(int opcode, byte[] body) throws IOException {
        byte[] frame = new byte[6 + body.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | body.length);
        System.arraycopy(body, 0, frame, 6, body.length);
        output.write(frame);
        output.flush();
    }

    private int readByte() throws IOException {
        int value = input.read();
        if (value < 0) {
            throw new EOFException("connection closed inside a frame header");
        }
        return value;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

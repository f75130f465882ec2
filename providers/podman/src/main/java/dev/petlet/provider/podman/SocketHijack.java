package dev.petlet.provider.podman;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request on a blocking unix socket connection of its own: a plain call, whose answer the caller reads whole
 * ({@link #readBody}), or an exec or attach request, which Podman hijacks. A plain call costs less this way than
 * through the event loop (no channel pipeline, no hand-off between threads), which counts for the many small
 * calls a burst of pods makes. A hijacked connection carries the
 * process's standard input: it is written straight into the socket by the caller's thread and its output read
 * straight from it by the session's reader, as {@code podman --remote exec} does. Going through the event loop
 * instead cost two thread hand-offs per chunk and per direction, and held exec to a fraction of what Podman's
 * API carries on a busy machine. The kernel's socket buffers do the flow control: a process that does not read
 * its input blocks the writer, a reader that does not keep up blocks Podman.
 */
final class SocketHijack implements HijackedStream {
    private static final int BUFFER_BYTES = 256 << 10;
    private static final int MAX_HEAD_BYTES = 64 << 10;
    private static final int WAITING = 0;
    private static final int ANSWERED = 1;
    private static final int TIMED_OUT = 2;

    private final SocketChannel channel;
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;
    private final OutputStream requestBody;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SocketHijack(SocketChannel channel, int status, Map<String, String> headers, InputStream body) {
        this.channel = channel;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.requestBody = new SocketOutput();
    }

    /**
     * Connects, sends the request (asking for the upgrade) and reads the answer's status line and headers, waiting
     * up to {@code timeout} for them. The caller owns the result, whatever its status, and must close it.
     *
     * @throws ProviderException {@link ErrorCode#UNAVAILABLE} if Podman cannot be reached or does not answer in
     *     time
     */
    static SocketHijack open(Path socket, HttpRequestSpec request, Duration timeout) throws ProviderException {
        return open(socket, request, timeout, BUFFER_BYTES);
    }

    /** {@link #open(Path, HttpRequestSpec, Duration)} reading the answer through a buffer of this size. */
    static SocketHijack open(Path socket, HttpRequestSpec request, Duration timeout, int bufferBytes)
            throws ProviderException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE,
                    "cannot connect to Podman at " + socket + " (" + e.getMessage()
                            + "); is `podman system service` running on that socket?",
                    e);
        }
        AtomicInteger state = new AtomicInteger(WAITING);
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (state.compareAndSet(WAITING, TIMED_OUT)) {
                        closeQuietly(channel);
                    }
                });
        try {
            writeFully(channel, ByteBuffer.wrap(requestBytes(request)));
            InputStream input = new BufferedInputStream(new SocketInput(channel), bufferBytes);
            String head = readHead(input);
            if (!state.compareAndSet(WAITING, ANSWERED)) {
                throw new IOException("timed out");
            }
            String[] lines = head.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + lines[0]);
            }
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(
                            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            return new SocketHijack(channel, Integer.parseInt(statusLine[1]), headers, input);
        } catch (IOException | NumberFormatException e) {
            state.compareAndSet(WAITING, ANSWERED);
            closeQuietly(channel);
            if (state.get() == TIMED_OUT) {
                throw new ProviderException(
                        ErrorCode.UNAVAILABLE,
                        "Podman did not answer " + request + " within " + timeout.toSeconds() + "s");
            }
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE, "connection to Podman broke during " + request + ": " + e, e);
        }
    }

    private static byte[] requestBytes(HttpRequestSpec request) {
        byte[] body = request.body() == null ? new byte[0] : request.body();
        StringBuilder head = new StringBuilder()
                .append(request.method())
                .append(' ')
                .append(request.uri())
                .append(" HTTP/1.1\r\nHost: podman\r\nContent-Length: ")
                .append(body.length)
                .append("\r\n");
        if (request.body() != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append(request.upgrade() ? "Connection: Upgrade\r\nUpgrade: tcp\r\n" : "Connection: close\r\n");
        request.headers()
                .forEach((name, value) ->
                        head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    private static String readHead(InputStream input) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int next = input.read();
            if (next < 0) {
                throw new EOFException("Podman closed the connection before answering");
            }
            if (head.size() >= MAX_HEAD_BYTES) {
                throw new IOException("Podman's answer has more than " + MAX_HEAD_BYTES + " bytes of headers");
            }
            head.write(next);
            matched = (next == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (next == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The answer's HTTP status. */
    int status() {
        return status;
    }

    /** Whether Podman took the connection over for raw bytes (101, or a 2xx raw stream of old clients). */
    boolean succeeded() {
        return status == 101 || (status >= 200 && status < 300);
    }

    /**
     * The whole body of an answer Podman did not take over (a plain call's, or an unsuccessful exec's for its
     * error message): at most {@code limit} bytes.
     */
    byte[] readBody(int limit) throws IOException {
        String length = headers.get("content-length");
        if (length != null) {
            return body.readNBytes((int) Math.min(limit, Long.parseLong(length)));
        }
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (all.size() < limit) {
                String size = readLine(body);
                int semicolon = size.indexOf(';');
                int chunk = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (chunk == 0) {
                    break;
                }
                all.writeBytes(body.readNBytes(Math.min(chunk, limit - all.size())));
                readLine(body);
            }
            return all.toByteArray();
        }
        return body.readNBytes(limit);
    }

    private static String readLine(InputStream input) throws IOException {
        StringBuilder line = new StringBuilder();
        int next;
        while ((next = input.read()) >= 0 && next != '\n') {
            if (next != '\r') {
                line.append((char) next);
            }
        }
        return line.toString();
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public OutputStream requestBody() {
        return requestBody;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a unix socket does not fail in a way that leaves anything open.
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Reads from the socket. Not {@code Channels.newInputStream}: its streams may lock the channel's blocking
     * lock for a whole read, which would hold up the writer of the other direction.
     */
    private static final class SocketInput extends InputStream {
        private final SocketChannel channel;

        SocketInput(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int count = read(one, 0, 1);
            return count < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int count;
            do {
                count = channel.read(ByteBuffer.wrap(buffer, offset, length));
            } while (count == 0);
            return count;
        }
    }

    /** Standard input: each write blocks until the kernel took all of it; closing half-closes. */
    private final class SocketOutput extends OutputStream {
        private volatile boolean outputClosed;

        @Override
        public void write(int value) throws IOException {
            write(new byte[] {(byte) value}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            if (outputClosed) {
                throw new IOException("stream closed");
            }
            try {
                writeFully(channel, ByteBuffer.wrap(buffer, offset, length));
            } catch (IOException e) {
                throw new IOException("could not write to Podman: " + e, e);
            }
        }

        @Override
        public void close() throws IOException {
            if (outputClosed) {
                return;
            }
            outputClosed = true;
            if (channel.isOpen()) {
                try {
                    channel.shutdownOutput();
                } catch (IOException e) {
                    throw new IOException("could not close the input stream to Podman: " + e, e);
                }
            }
        }
    }
}

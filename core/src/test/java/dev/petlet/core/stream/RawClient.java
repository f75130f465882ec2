package dev.petlet.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A blocking socket that speaks just enough HTTP/1.1 to send an upgrade request and read the response head. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    /**
     * The response head, and the body if it has a Content-Length.
     *
     * @param headers by lower-case name, every value
     */
    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    RawClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a request; headers is a flat list of name, value pairs (names may repeat). */
    Response request(String method, String uri, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(method + " " + uri + " HTTP/1.1\r\nHost: localhost\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readResponse(in);
    }

    /** Reads a response head, and the body if it has a Content-Length. */
    static Response readResponse(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("connection closed in the response head");
            }
            if (next == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII).stripTrailing();
                line.reset();
                if (text.isEmpty()) {
                    break;
                }
                lines.add(text);
            } else {
                line.write(next);
            }
        }
        int status = Integer.parseInt(lines.get(0).split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header : lines.subList(1, lines.size())) {
            int colon = header.indexOf(':');
            headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        String body = "";
        List<String> length = headers.get("content-length");
        if (length != null) {
            body = new String(in.readNBytes(Integer.parseInt(length.get(0))), StandardCharsets.UTF_8);
        }
        return new Response(status, headers, body);
    }

    /** Encodes a frame with a client-side codec channel and writes the bytes to the socket. */
    void writeEncoded(EmbeddedChannel encoder, Object frame) throws IOException {
        encoder.writeOutbound(frame);
        ByteBuf encoded;
        while ((encoded = encoder.readOutbound()) != null) {
            try {
                encoded.readBytes(out, encoded.readableBytes());
            } finally {
                encoded.release();
            }
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

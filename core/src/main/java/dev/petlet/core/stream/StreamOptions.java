package dev.petlet.core.stream;

import dev.petlet.core.stream.StreamTarget.Kind;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The query of a streaming request: {@code command} (repeatable), {@code input}, {@code output}, {@code error} and
 * {@code tty} for exec and attach; {@code port} (repeatable, comma lists) for port-forward over WebSocket.
 *
 * @param command the command and its arguments (exec only; empty otherwise)
 * @param stdin whether the client sends standard input
 * @param stdout whether the client wants standard output
 * @param stderr whether the client wants standard error; always false with a terminal, as upstream drops it
 * @param tty whether the process has a terminal
 * @param ports the ports to forward over WebSocket; empty for SPDY, where each stream names its port
 */
record StreamOptions(
        List<String> command, boolean stdin, boolean stdout, boolean stderr, boolean tty, List<Integer> ports) {

    StreamOptions {
        command = List.copyOf(command);
        ports = List.copyOf(ports);
    }

    /**
     * Parses and validates a request URI.
     *
     * @throws BadStreamRequest with the sentence for a 400 response
     */
    static StreamOptions parse(Kind kind, String uri, boolean webSocket) throws BadStreamRequest {
        Map<String, List<String>> query = new QueryStringDecoder(uri).parameters();
        if (kind == Kind.PORT_FORWARD) {
            return new StreamOptions(List.of(), false, false, false, false, webSocket ? ports(query) : List.of());
        }
        boolean tty = flag(query, "tty");
        boolean stdin = flag(query, "input");
        boolean stdout = flag(query, "output");
        boolean stderr = flag(query, "error") && !tty;
        if (!stdin && !stdout && !stderr) {
            throw new BadStreamRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        List<String> command = kind == Kind.EXEC ? query.getOrDefault("command", List.of()) : List.of();
        if (kind == Kind.EXEC && command.isEmpty()) {
            throw new BadStreamRequest("exec needs a command: give it as one or more \"command\" query parameters");
        }
        return new StreamOptions(command, stdin, stdout, stderr, tty, List.of());
    }

    /** Upstream accepts only {@code 1}; {@code true} is what a person typing the URL writes. */
    private static boolean flag(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return false;
        }
        String value = values.get(0);
        return value.equals("1") || value.equalsIgnoreCase("true");
    }

    private static List<Integer> ports(Map<String, List<String>> query) throws BadStreamRequest {
        List<String> values = query.get("port");
        if (values == null || values.isEmpty()) {
            throw new BadStreamRequest("query parameter \"port\" is required");
        }
        List<Integer> ports = new ArrayList<>();
        for (String value : values) {
            if (value.isEmpty()) {
                throw new BadStreamRequest("query parameter \"port\" cannot be empty");
            }
            for (String part : value.split(",")) {
                ports.add(port(part));
            }
        }
        return ports;
    }

    /** Parses a port number, 1 to 65535. */
    static int port(String text) throws BadStreamRequest {
        int port;
        try {
            port = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new BadStreamRequest("unable to parse \"" + text + "\" as a port");
        }
        if (port < 1 || port > 65535) {
            throw new BadStreamRequest("port \"" + text + "\" must be between 1 and 65535");
        }
        return port;
    }

    /** A request the streaming endpoints cannot serve as given; the message is the response body. */
    static final class BadStreamRequest extends Exception {
        BadStreamRequest(String message) {
            super(message);
        }
    }
}

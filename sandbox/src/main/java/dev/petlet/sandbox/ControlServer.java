package dev.petlet.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The sandbox's control port on loopback: {@code GET /ready} answers 200 only when the cluster is
 * ready (503 otherwise), {@code POST /stop} asks the sandbox to stop and answers 202.
 */
final class ControlServer implements AutoCloseable {
    private final HttpServer server;

    private ControlServer(HttpServer server) {
        this.server = server;
    }

    static ControlServer start(int port, BooleanSupplier ready, Runnable stop) throws SandboxException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            String owner = ProcessTable.system()
                    .describeListener(port)
                    .map(o -> " by " + o)
                    .orElse("");
            throw new SandboxException("control port " + port + " is already in use" + owner
                    + "; stop that process or choose another port with --control-port");
        }
        server.createContext("/ready", exchange -> {
            if (!allow(exchange, "GET")) {
                return;
            }
            boolean isReady = ready.getAsBoolean();
            respond(exchange, isReady ? 200 : 503, isReady ? "ready\n" : "not ready\n");
        });
        server.createContext("/stop", exchange -> {
            if (!allow(exchange, "POST")) {
                return;
            }
            respond(exchange, 202, "stopping\n");
            stop.run();
        });
        server.createContext(
                "/", exchange -> respond(exchange, 404, "the control port serves GET /ready and POST /stop\n"));
        server.start();
        return new ControlServer(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static boolean allow(HttpExchange exchange, String method) throws IOException {
        if (exchange.getRequestMethod().equals(method)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", method);
        respond(exchange, 405, "use " + method + "\n");
        return false;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

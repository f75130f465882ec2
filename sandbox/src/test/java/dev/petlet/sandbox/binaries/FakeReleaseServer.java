package dev.petlet.sandbox.binaries;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** An HTTP server on 127.0.0.1 that serves published files, answers 404 otherwise, and counts requests. */
final class FakeReleaseServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private FakeReleaseServer(HttpServer server) {
        this.server = server;
    }

    static FakeReleaseServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeReleaseServer release = new FakeReleaseServer(server);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            release.requests.add(path);
            byte[] content = release.files.get(path);
            try (exchange) {
                if (content == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, content.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(content);
                }
            }
        });
        server.start();
        return release;
    }

    void publish(String path, byte[] content) {
        files.put(path, content.clone());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Stops serving; a later request finds nothing listening. Safe to call more than once. */
    @Override
    public void close() {
        if (stopped.compareAndSet(false, true)) {
            server.stop(0);
        }
    }
}

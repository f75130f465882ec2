package dev.petlet.provider.podman;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One HTTP/1.1 request to the Podman socket.
 *
 * @param method e.g. {@code GET}
 * @param uri the path and query, already encoded
 * @param body nullable: a JSON body, or {@code null} for none
 * @param headers extra headers
 * @param upgrade whether to ask Podman to hijack the connection for a raw bidirectional stream (exec and
 *     attach); Podman then answers 101 and both sides talk raw bytes
 */
record HttpRequestSpec(String method, String uri, byte[] body, Map<String, String> headers, boolean upgrade) {
    HttpRequestSpec {
        requireNonNull(method, "method");
        requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
    }

    static HttpRequestSpec of(String method, String uri, byte[] body) {
        return new HttpRequestSpec(method, uri, body, Map.of(), false);
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }
}

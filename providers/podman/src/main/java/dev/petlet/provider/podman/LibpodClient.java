package dev.petlet.provider.podman;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Podman's libpod REST API (v4) over {@link UnixSocketHttpClient}: builds request paths, sends JSON, and turns
 * unsuccessful answers into {@link ProviderException}s with {@link PodmanErrors}.
 */
final class LibpodClient implements AutoCloseable {
    /** At debug, one line per request to Podman: what the agent asks of it, to count and compare. */
    private static final Logger LOG = LoggerFactory.getLogger(LibpodClient.class);

    /** Podman 4.x serves every 4.x API under this prefix; 4.0.0 is the oldest we talk to. */
    static final String API_PREFIX = "/v4.0.0/libpod";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_RESPONSE_BYTES = 64 << 20;
    /** For the answer's head: bodies are read in larger pieces, past the buffer. */
    private static final int CALL_BUFFER_BYTES = 4 << 10;

    private final UnixSocketHttpClient http;
    private final ObjectMapper json;

    LibpodClient(UnixSocketHttpClient http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    ObjectMapper json() {
        return json;
    }

    /**
     * Sends a request on a blocking connection of its own ({@link SocketHijack}) and reads the whole answer,
     * whatever its status, waiting up to {@code timeout} for it to begin.
     */
    LibpodResponse call(String method, String path, JsonNode body, Duration timeout) throws ProviderException {
        HttpRequestSpec request = HttpRequestSpec.of(method, API_PREFIX + path, serialize(body));
        LOG.debug("{} {}", method, path);
        try (SocketHijack exchange = SocketHijack.open(http.socket(), request, timeout, CALL_BUFFER_BYTES)) {
            return new LibpodResponse(exchange.status(), exchange.readBody(MAX_RESPONSE_BYTES));
        } catch (IOException | RuntimeException e) {
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE, "reading Podman's answer to " + request + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Sends a request and returns its JSON answer, or throws the mapped error.
     *
     * @param action what is being done, for error messages: "start container abc"
     */
    JsonNode request(String action, String method, String path, JsonNode body, Duration timeout)
            throws ProviderException {
        LibpodResponse response = call(method, path, body, timeout);
        if (!response.succeeded()) {
            throw PodmanErrors.fromResponse(action, response.status(), response.body());
        }
        return parse(action, response.body());
    }

    JsonNode get(String action, String path) throws ProviderException {
        return request(action, "GET", path, null, DEFAULT_TIMEOUT);
    }

    /**
     * Opens a streaming or hijacked exchange and waits up to {@code timeout} for its answer; the caller owns
     * it. Unsuccessful answers are read, closed and thrown as mapped errors.
     */
    HttpExchange open(String action, HttpRequestSpec request, Duration timeout) throws ProviderException {
        LOG.debug("{} {} (stream)", request.method(), request.uri());
        HttpExchange exchange = http.open(prefixed(request), timeout);
        checkSucceeded(action, exchange);
        return exchange;
    }

    /**
     * Opens an exec or attach stream on a blocking connection of its own ({@link SocketHijack}) and waits up to
     * {@code timeout} for Podman to take it over; the caller owns it. Unsuccessful answers are read, closed and
     * thrown as mapped errors.
     */
    HijackedStream hijack(String action, HttpRequestSpec request, Duration timeout) throws ProviderException {
        SocketHijack hijack = SocketHijack.open(http.socket(), prefixed(request), timeout);
        if (hijack.succeeded()) {
            return hijack;
        }
        try (hijack) {
            byte[] errorBody;
            try {
                errorBody = hijack.readBody(MAX_RESPONSE_BYTES);
            } catch (IOException | RuntimeException e) {
                errorBody = new byte[0];
            }
            throw PodmanErrors.fromResponse(action, hijack.status(), errorBody);
        }
    }

    /**
     * Sends a streaming request without waiting for the answer, for endpoints that answer only with their
     * first item (follow logs, events); the caller owns the exchange and calls {@link #checkSucceeded} after
     * awaiting it.
     */
    HttpExchange send(HttpRequestSpec request) throws ProviderException {
        LOG.debug("{} {} (stream)", request.method(), request.uri());
        return http.send(prefixed(request));
    }

    /** Throws the mapped error, after closing the exchange, if its answer was not a success. */
    void checkSucceeded(String action, HttpExchange exchange) throws ProviderException {
        if (exchange.succeeded()) {
            return;
        }
        try (exchange) {
            byte[] errorBody;
            try {
                errorBody = exchange.readBody(MAX_RESPONSE_BYTES);
            } catch (IOException e) {
                errorBody = new byte[0];
            }
            throw PodmanErrors.fromResponse(action, exchange.status(), errorBody);
        }
    }

    /** A request to a libpod path, with a JSON body. */
    HttpRequestSpec request(String method, String path, JsonNode body, Map<String, String> headers, boolean upgrade)
            throws ProviderException {
        return new HttpRequestSpec(method, path, serialize(body), headers, upgrade);
    }

    private static HttpRequestSpec prefixed(HttpRequestSpec request) {
        return new HttpRequestSpec(
                request.method(), API_PREFIX + request.uri(), request.body(), request.headers(), request.upgrade());
    }

    JsonNode parse(String action, byte[] body) throws ProviderException {
        if (body.length == 0) {
            return json.missingNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new ProviderException(
                    ErrorCode.INTERNAL,
                    "Podman's answer to " + action + " is not JSON: "
                            + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
        }
    }

    private byte[] serialize(JsonNode body) throws ProviderException {
        if (body == null) {
            return null;
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new ProviderException(ErrorCode.INTERNAL, "cannot encode a request to Podman: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}

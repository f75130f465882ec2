package dev.petlet.provider.podman;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request on its own connection: sent, then {@link #awaitResponse awaited} for its status and headers,
 * then its body streamed through {@link #body()} and, on an upgraded connection, raw bytes sent through
 * {@link #requestBody()}. The owner must {@link #close()} it; closing works at any point, from any thread,
 * and wakes up whoever waits or reads.
 */
final class HttpExchange implements HijackedStream {
    private final Channel channel;
    private final HttpRequestSpec request;
    private final CompletableFuture<HttpResponse> head;
    private final ResponseBodyStream body;
    private final RequestBodyStream requestBody;
    private volatile HttpResponse response;

    HttpExchange(
            Channel channel, HttpRequestSpec request, CompletableFuture<HttpResponse> head, ResponseBodyStream body) {
        this.channel = channel;
        this.request = request;
        this.head = head;
        this.body = body;
        this.requestBody = new RequestBodyStream(channel);
    }

    /**
     * Waits for the response status and headers. Podman sends them for streaming endpoints (logs, events)
     * only with the first item, so those wait without a timeout and rely on {@link #close()}.
     *
     * @param timeout nullable: how long to wait, or {@code null} to wait until the response or close
     * @throws ProviderException {@link ErrorCode#UNAVAILABLE} on timeout, a broken connection or interrupt
     */
    void awaitResponse(Duration timeout) throws ProviderException {
        try {
            response = timeout == null ? head.get() : head.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE, "Podman did not answer " + request + " within " + timeout.toSeconds() + "s");
        } catch (ExecutionException e) {
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE,
                    "connection to Podman broke during " + request + ": " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ErrorCode.UNAVAILABLE, "interrupted while waiting for Podman: " + request);
        }
    }

    /** The HTTP status; only after {@link #awaitResponse}. */
    int status() {
        if (response == null) {
            throw new IllegalStateException("no response yet for " + request);
        }
        return response.status().code();
    }

    boolean succeeded() {
        return status() >= 200 && status() < 300 || upgraded();
    }

    boolean upgraded() {
        return status() == 101;
    }

    HttpRequestSpec request() {
        return request;
    }

    /** The response body; ends with the response, or when Podman closes an upgraded connection. */
    @Override
    public InputStream body() {
        return body;
    }

    /** Raw bytes to Podman; only meaningful on an upgraded connection. Closing it half-closes. */
    @Override
    public OutputStream requestBody() {
        return requestBody;
    }

    /** Reads the whole body, failing if it is longer than {@code limit} bytes. */
    byte[] readBody(int limit) throws IOException {
        byte[] bytes = body.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new IOException("Podman's answer to " + request + " is larger than " + limit + " bytes");
        }
        return bytes;
    }

    @Override
    public void close() {
        body.close();
        channel.close();
        head.completeExceptionally(new IOException("exchange closed"));
    }
}

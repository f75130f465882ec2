package dev.petlet.sandbox.binaries;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Fetches files with the JDK's HTTP client. */
final class JdkHttpFetcher implements HttpFetcher {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    // Until the response headers arrive; the body of a large binary may take much longer.
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private HttpClient client;

    @Override
    public void download(URI uri, Path target) throws ReleaseUnavailableException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(RESPONSE_TIMEOUT)
                .header("User-Agent", "petlet")
                .GET()
                .build();
        HttpResponse<Path> response;
        try {
            response = client().send(
                            request,
                            info -> info.statusCode() == 200
                                    ? BodySubscribers.ofFile(target)
                                    : BodySubscribers.replacing(target));
        } catch (HttpConnectTimeoutException e) {
            throw new ReleaseUnavailableException(
                    "no connection to " + uri.getHost() + " within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw new ReleaseUnavailableException(
                    "no answer from " + uri.getHost() + " within " + RESPONSE_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new ReleaseUnavailableException(connectFailure(e, uri));
        } catch (IOException e) {
            throw new ReleaseUnavailableException("fetching " + uri + " failed: " + describe(e));
        }
        if (response.statusCode() != 200) {
            throw new ReleaseUnavailableException("HTTP " + response.statusCode() + " for " + uri);
        }
    }

    // Created on first use so that resolvers that find binaries locally start no client threads.
    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return client;
    }

    // The client wraps the real cause, often without a message of its own.
    private static String connectFailure(ConnectException e, URI uri) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return "cannot resolve the host name " + uri.getHost();
            }
        }
        return "cannot connect to " + uri.getAuthority()
                + firstMessage(e).map(message -> " (" + message + ")").orElse("");
    }

    private static String describe(IOException e) {
        return firstMessage(e).orElse(e.getClass().getSimpleName());
    }

    private static Optional<String> firstMessage(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return Optional.of(cause.getMessage());
            }
        }
        return Optional.empty();
    }
}

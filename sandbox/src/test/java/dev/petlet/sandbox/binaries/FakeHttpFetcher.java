package dev.petlet.sandbox.binaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Serves published files from memory, answers 404 for the rest, and records every request. */
final class FakeHttpFetcher implements HttpFetcher {
    private final Map<URI, byte[]> files = new HashMap<>();
    private final List<URI> requests = new ArrayList<>();

    void publish(URI uri, byte[] content) {
        files.put(uri, content.clone());
    }

    List<URI> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void download(URI uri, Path target) throws ReleaseUnavailableException {
        requests.add(uri);
        byte[] content = files.get(uri);
        if (content == null) {
            throw new ReleaseUnavailableException("HTTP 404 for " + uri);
        }
        try {
            Files.write(target, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

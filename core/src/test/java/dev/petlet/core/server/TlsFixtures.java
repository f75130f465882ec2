package dev.petlet.core.server;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The test-only TLS files under {@code src/test/resources/dev/petlet/core/server/tls} (see the README there). */
final class TlsFixtures {
    private TlsFixtures() {}

    static Path file(String name) {
        try {
            return Path.of(TlsFixtures.class.getResource("tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

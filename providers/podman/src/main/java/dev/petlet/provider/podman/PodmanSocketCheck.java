package dev.petlet.provider.podman;

import dev.petlet.spi.ProviderCheck;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code petlet doctor}'s check that Podman's API answers on its socket: a plain {@code GET /_ping} over the
 * unix socket, with the JDK alone, so it works when nothing else of the provider would.
 */
final class PodmanSocketCheck {
    private static final String ADVICE = "install Podman and start its API service on that socket, e.g."
            + " `podman system service --time=0 unix://%s` (scripts/podman-service does this in a checkout)";

    private PodmanSocketCheck() {}

    static ProviderCheck check(Path socket) {
        String description = "Podman API socket " + socket + " answers";
        if (!Files.exists(socket)) {
            return ProviderCheck.failed(description, "the socket does not exist: " + ADVICE.formatted(socket));
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(
                    ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(64);
            while (answer.position() < 12 && channel.read(answer) >= 0) {
                // an HTTP status line needs 12 bytes
            }
            String status = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
            if (status.startsWith("HTTP/1.") && status.length() >= 12 && status.startsWith("200", 9)) {
                return ProviderCheck.passed(description);
            }
            return ProviderCheck.failed(
                    description,
                    "the socket answered '" + status.lines().findFirst().orElse("") + "' to GET /_ping; is it"
                            + " Podman's API? " + ADVICE.formatted(socket));
        } catch (IOException e) {
            return ProviderCheck.failed(
                    description, "cannot connect (" + e.getMessage() + "): " + ADVICE.formatted(socket));
        }
    }
}

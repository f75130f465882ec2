package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.PortForwardStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PortForwardIT extends PodmanTestBase {

    @Test
    void forwardsToAnHttpServerInThePod() throws Exception {
        var sandbox = sandbox("httpd").build();
        String sandboxId = runtime.runPodSandbox(sandbox);
        String container = runtime.createContainer(
                sandboxId,
                shell(
                                "httpd",
                                "mkdir -p /www && echo hello-from-the-pod > /www/index.html && exec httpd -f -p 8080 -h /www")
                        .build(),
                sandbox);
        runtime.startContainer(container);

        String answer = Polling.value(WAIT, "httpd to answer through the port forward", () -> {
            try (PortForwardStream stream = runtime.portForward(sandboxId, 8080)) {
                try (OutputStream request = stream.output()) {
                    request.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                return Optional.of(new String(stream.input().readAllBytes(), StandardCharsets.UTF_8));
            } catch (ProviderException e) {
                if (e.code() == ErrorCode.UNAVAILABLE) {
                    return Optional.empty(); // not listening yet
                }
                throw new AssertionError(e);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(answer).startsWith("HTTP/1.1 200 OK").endsWith("hello-from-the-pod\n");
    }

    @Test
    void nothingListeningIsUnavailable() throws ProviderException {
        String sandboxId = runtime.runPodSandbox(sandbox("quiet").build());

        assertThat(codeOf(() -> runtime.portForward(sandboxId, 9))).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void stoppedSandboxIsInvalid() throws ProviderException {
        String sandboxId = runtime.runPodSandbox(sandbox("stopped").build());
        runtime.stopPodSandbox(sandboxId);

        assertThat(codeOf(() -> runtime.portForward(sandboxId, 80))).isEqualTo(ErrorCode.INVALID);
    }
}

package dev.petlet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.stream.RawClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A thousand exec sessions over SPDY leave no session, thread or file descriptor behind. */
class StreamSessionLeakTest {
    private static final int SESSIONS = 1000;

    @Test
    void aThousandSessionsLeakNothing() throws Exception {
        try (StreamTestServer server = new StreamTestServer()) {
            runSession(server); // warm up: event loop threads and lazily opened files exist from here on
            server.awaitNoLeaks();
            long threadsBefore = Thread.getAllStackTraces().size();
            long descriptorsBefore = openDescriptors();

            for (int i = 0; i < SESSIONS; i++) {
                runSession(server);
            }

            server.awaitNoLeaks();
            assertThat(server.runtime.processes).hasSize(SESSIONS + 1);
            Await.until(
                    "threads back to the count before",
                    () -> Thread.getAllStackTraces().size() <= threadsBefore + 2);
            Await.until("file descriptors back to the count before", () -> openDescriptors() <= descriptorsBefore + 10);
            assertThat(server.escaped).isEmpty();
        }
    }

    private static void runSession(StreamTestServer server) throws IOException {
        RawClient raw = new RawClient(server.port());
        Response response = raw.request(
                "POST",
                "/exec/ns/pod/c?command=echo&input=1&output=1",
                "Connection",
                "Upgrade",
                "Upgrade",
                "SPDY/3.1",
                "X-Stream-Protocol-Version",
                "v4.channel.k8s.io",
                "Content-Length",
                "0");
        assertThat(response.status()).isEqualTo(101);
        try (SpdyTestClient client = new SpdyTestClient(raw)) {
            int error = client.open("streamtype", "error");
            int stdin = client.open("streamtype", "stdin");
            int stdout = client.open("streamtype", "stdout");
            Await.until("the streams to be answered", () -> client.replied(stdout));
            client.data(stdin, "x");
            client.fin(stdin);
            Await.until("the session to end", () -> client.finished(error));
            assertThat(client.text(stdout)).isEqualTo("x");
        }
    }

    private static long openDescriptors() {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

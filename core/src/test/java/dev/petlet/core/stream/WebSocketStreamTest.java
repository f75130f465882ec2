package dev.petlet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.stream.RawClient.Response;
import dev.petlet.core.stream.WebSocketTestClient.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exec and port-forward over channel WebSockets on a real socket. */
class WebSocketStreamTest {
    private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";

    private StreamTestServer server;
    private EchoServer echo;

    @BeforeEach
    void start() throws Exception {
        server = new StreamTestServer();
        echo = new EchoServer();
        server.runtime.mapPort(8080, echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        server.awaitNoLeaks();
        server.close();
        echo.close();
        assertThat(server.escaped).isEmpty();
    }

    @Test
    void v4ReportsTheExitCodeAsJson() throws IOException {
        try (WebSocketTestClient client =
                upgrade("/exec/ns/pod/c?command=exit&command=3&output=1&error=1", "v4.channel.k8s.io")) {
            Await.until("the close frame", client::closeReceived);
            List<Message> messages = client.messages();

            assertThat(messages.get(0).channel()).isEqualTo(WebSocketRemoteCommand.STDOUT);
            assertThat(messages.get(0).body()).isEmpty();
            assertThat(client.text(WebSocketRemoteCommand.STDERR)).isEqualTo("bye");
            assertThat(client.text(WebSocketRemoteCommand.ERROR))
                    .contains("\"reason\":\"NonZeroExitCode\"")
                    .contains("{\"reason\":\"ExitCode\",\"message\":\"3\"}");
        }
    }

    @Test
    void v5ClosesStandardInputWithTheCloseSignal() throws IOException {
        try (WebSocketTestClient client =
                upgrade("/exec/ns/pod/c?command=echo&input=1&output=1&error=1", "v5.channel.k8s.io")) {
            client.sendBinary(WebSocketRemoteCommand.STDIN, "hi there".getBytes(StandardCharsets.UTF_8));
            Await.until(
                    "the echo", () -> client.text(WebSocketRemoteCommand.STDOUT).equals("hi there"));
            client.sendBinary(WebSocketProtocol.CLOSE_CHANNEL, new byte[] {WebSocketRemoteCommand.STDIN});

            Await.until("the close frame", client::closeReceived);
            assertThat(client.text(WebSocketRemoteCommand.ERROR)).isEqualTo(SUCCESS);
            // client-go's v5 reader does not take close signals from the server.
            assertThat(client.messages().stream()
                            .filter(m -> !m.isClose() && m.channel() == WebSocketProtocol.CLOSE_CHANNEL))
                    .isEmpty();
        }
    }

    @Test
    void base64ChannelsAndPlainTextErrors() throws IOException {
        try (WebSocketTestClient client =
                upgrade("/exec/ns/pod/c?command=echo&input=1&output=1", "base64.channel.k8s.io")) {
            Await.until("the first message", () -> !client.messages().isEmpty());
            assertThat(client.messages().get(0).text()).isTrue();
            assertThat(new String(client.messages().get(0).payload(), StandardCharsets.US_ASCII))
                    .isEqualTo("1");

            client.sendBase64(WebSocketRemoteCommand.STDIN, "héllo".getBytes(StandardCharsets.UTF_8));
            Await.until(
                    "the echo", () -> client.text(WebSocketRemoteCommand.STDOUT).equals("héllo"));
        }
        FakeProcess process = server.runtime.lastProcess();
        Await.until("the session to be closed when the client left", () -> process.closeCalls.get() > 0);
    }

    @Test
    void olderProtocolsReportFailuresAsText() throws IOException {
        try (WebSocketTestClient client = upgrade("/exec/ns/pod/c?command=exit&command=3&output=1", "channel.k8s.io")) {
            Await.until("the close frame", client::closeReceived);
            assertThat(client.text(WebSocketRemoteCommand.ERROR))
                    .isEqualTo(
                            "command terminated with non-zero exit code: error executing command [exit 3], exit code 3");
        }
    }

    @Test
    void portForwardAnnouncesThePortsAndPipesData() throws IOException {
        try (WebSocketTestClient client = upgrade("/portForward/ns/pod?port=8080,9999", "v4.channel.k8s.io")) {
            Await.until("the port announcements", () -> client.messages().size() >= 4);
            List<Message> announcements = client.messages().subList(0, 4);
            assertThat(announcements).extracting(Message::channel).containsExactlyInAnyOrder(0, 1, 2, 3);
            assertThat(announcements.stream()
                            .filter(m -> m.channel() == 0)
                            .findFirst()
                            .orElseThrow()
                            .body())
                    .containsExactly(0x90, 0x1F);

            client.sendBinary(0, "ping".getBytes(StandardCharsets.UTF_8));
            Await.until("the echo", () -> client.text(0).endsWith("ping"));
            Await.until("the failure on port 9999", () -> client.text(3).contains("nothing accepts connections"));
        }
    }

    private WebSocketTestClient upgrade(String uri, String protocol) throws IOException {
        RawClient raw = new RawClient(server.port());
        Response response = raw.request(
                "GET",
                uri,
                "Connection",
                "Upgrade",
                "Upgrade",
                "websocket",
                "Sec-WebSocket-Version",
                "13",
                "Sec-WebSocket-Key",
                WebSocketTestClient.key(),
                "Sec-WebSocket-Protocol",
                protocol);
        assertThat(response.status()).isEqualTo(101);
        assertThat(response.header("Sec-WebSocket-Protocol")).isEqualTo(protocol);
        return new WebSocketTestClient(raw);
    }
}

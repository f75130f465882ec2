package dev.petlet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.stream.RawClient.Response;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Port-forward over SPDY/3.1 on a real socket, the pod port played by a local echo server. */
class SpdyPortForwardTest {
    private static final int POD_PORT = 8080;
    private static final int CLOSED_PORT = 9999;

    private StreamTestServer server;
    private EchoServer echo;

    @BeforeEach
    void start() throws Exception {
        server = new StreamTestServer();
        echo = new EchoServer();
        server.runtime.mapPort(POD_PORT, echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        server.awaitNoLeaks();
        server.close();
        echo.close();
        assertThat(server.escaped).isEmpty();
    }

    @Test
    void concurrentPairsAreIndependentAndAFailingOneEndsAlone() throws IOException {
        try (SpdyTestClient client = upgrade()) {
            int error1 = client.open("streamtype", "error", "port", "8080", "requestid", "1");
            client.fin(error1);
            int data1 = client.open("streamtype", "data", "port", "8080", "requestid", "1");
            int error2 = client.open("streamtype", "error", "port", "8080", "requestid", "2");
            client.fin(error2);
            int data2 = client.open("streamtype", "data", "port", "8080", "requestid", "2");
            int error3 = client.open("streamtype", "error", "port", "9999", "requestid", "3");
            client.fin(error3);
            int data3 = client.open("streamtype", "data", "port", "9999", "requestid", "3");

            client.data(data1, "one");
            client.data(data2, "two");
            Await.until(
                    "both echoes",
                    () -> client.text(data1).equals("one") && client.text(data2).equals("two"));

            Await.until("the failing pair to end", () -> client.finished(error3) && client.finished(data3));
            // No error payload: kubectl would drop every forwarded port for it (client-go portforward.go).
            assertThat(client.text(error3)).isEmpty();

            client.data(data1, "-more");
            client.data(data2, "-more");
            Await.until(
                    "the pairs to go on",
                    () -> client.text(data1).equals("one-more")
                            && client.text(data2).equals("two-more"));

            client.fin(data1);
            Await.until("pair 1 to end", () -> client.finished(data1) && client.finished(error1));
            assertThat(client.text(error1)).isEmpty();
            assertThat(client.finished(data2)).isFalse();
            client.data(data2, "!");
            Await.until("pair 2 to go on", () -> client.text(data2).equals("two-more!"));
            client.fin(data2);
            Await.until("pair 2 to end", () -> client.finished(data2) && client.finished(error2));
            assertThat(client.goAway()).isNull();
            assertThat(client.unexpected()).isEmpty();
        }
    }

    @Test
    void oldClientsWithoutRequestIdsPairByStreamId() throws IOException {
        try (SpdyTestClient client = upgrade()) {
            int error = client.open("streamtype", "error", "port", "8080");
            int data = client.open("streamtype", "data", "port", "8080");
            client.data(data, "legacy");

            Await.until("the echo", () -> client.text(data).equals("legacy"));
            client.fin(data);
            Await.until("the pair to end", () -> client.finished(data) && client.finished(error));
        }
    }

    @Test
    void streamsWithoutAValidPortOrTypeAreReset() throws IOException {
        try (SpdyTestClient client = upgrade()) {
            int noPort = client.open("streamtype", "error", "requestid", "1");
            int badPort = client.open("streamtype", "error", "port", "70000", "requestid", "2");
            int badType = client.open("streamtype", "stdout", "port", "8080", "requestid", "3");
            int good = client.open("streamtype", "error", "port", "8080", "requestid", "4");

            Await.until("the verdicts", () -> client.reset(badType) != null && client.replied(good));
            assertThat(client.reset(noPort)).isNotNull();
            assertThat(client.reset(badPort)).isNotNull();
            assertThat(client.replied(good)).isTrue();
        }
    }

    @Test
    void aDuplicateStreamIsReportedOnThePairsErrorStream() throws IOException {
        try (SpdyTestClient client = upgrade()) {
            int error = client.open("streamtype", "error", "port", "8080", "requestid", "7");
            int duplicate = client.open("streamtype", "error", "port", "8080", "requestid", "7");

            Await.until("the duplicate to be reset", () -> client.reset(duplicate) != null);
            Await.until("the report", () -> client.text(error).contains("error stream already assigned"));
        }
    }

    @Test
    void aClientThatHangsUpClosesThePodConnections() throws IOException {
        SpdyTestClient client = upgrade();
        client.open("streamtype", "error", "port", "8080", "requestid", "1");
        int data = client.open("streamtype", "data", "port", "8080", "requestid", "1");
        client.data(data, "x");
        Await.until("the echo", () -> client.text(data).equals("x"));

        client.close();

        Await.until(
                "the pod connection to close",
                () -> server.runtime.forwards.stream().allMatch(s -> s.isClosed()));
    }

    private SpdyTestClient upgrade() throws IOException {
        RawClient raw = new RawClient(server.port());
        Response response = raw.request(
                "POST",
                "/portForward/ns/pod",
                "Connection",
                "Upgrade",
                "Upgrade",
                "SPDY/3.1",
                "X-Stream-Protocol-Version",
                "portforward.k8s.io");
        assertThat(response.status()).isEqualTo(101);
        assertThat(response.header("X-Stream-Protocol-Version")).isEqualTo("portforward.k8s.io");
        return new SpdyTestClient(raw);
    }
}

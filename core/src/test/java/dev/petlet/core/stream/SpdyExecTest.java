package dev.petlet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.stream.RawClient.Response;
import dev.petlet.spi.runtime.TerminalSize;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exec and attach over SPDY/3.1 on a real socket, against the fake runtime, as kube-apiserver drives them. */
class SpdyExecTest {
    private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";

    private StreamTestServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = new StreamTestServer();
    }

    @AfterEach
    void stop() {
        server.awaitNoLeaks();
        server.close();
        assertThat(server.escaped).isEmpty();
    }

    @Test
    void execCopiesInputAndOutputAndReportsSuccess() throws IOException {
        try (SpdyTestClient client =
                upgrade("/exec/ns/pod/c?command=echo&input=1&output=1&error=1", "v4.channel.k8s.io")) {
            int error = client.open("streamtype", "error");
            int stdin = client.open("streamtype", "stdin");
            int stdout = client.open("streamtype", "stdout");
            int stderr = client.open("streamtype", "stderr");
            Await.until("all streams answered", () -> client.replied(stderr));

            client.data(stdin, "hello\n");
            Await.until("the echo", () -> client.text(stdout).equals("hello\n"));
            client.data(stdin, "world\n");
            client.fin(stdin);

            Await.until("the error stream to end", () -> client.finished(error));
            assertThat(client.text(stdout)).isEqualTo("hello\nworld\n");
            assertThat(client.finished(stdout)).isTrue();
            assertThat(client.finished(stderr)).isTrue();
            assertThat(client.text(error)).isEqualTo(SUCCESS);
            Await.until("GOAWAY", () -> client.goAway() != null);
            assertThat(client.unexpected()).isEmpty();
            FakeProcess process = server.runtime.lastProcess();
            Await.until("the session to be closed", () -> process.closeCalls.get() > 0);
        }
    }

    @Test
    void aNonZeroExitIsReportedWithItsCode() throws IOException {
        try (SpdyTestClient client =
                upgrade("/exec/ns/pod/c?command=exit&command=3&output=1&error=1", "v5.channel.k8s.io")) {
            int error = client.open("streamtype", "error");
            int stdout = client.open("streamtype", "stdout");
            int stderr = client.open("streamtype", "stderr");

            Await.until("the error stream to end", () -> client.finished(error));
            assertThat(client.text(error))
                    .isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero"
                            + " exit code: error executing command [exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\","
                            + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}");
            assertThat(client.text(stderr)).isEqualTo("bye");
            assertThat(client.finished(stdout)).isTrue();
        }
    }

    @Test
    void olderProtocolsGetPlainTextErrors() throws IOException {
        try (SpdyTestClient client = upgrade("/exec/ns/pod/c?command=exit&command=3&output=1", "v2.channel.k8s.io")) {
            int error = client.open("streamtype", "error");
            client.open("streamtype", "stdout");

            Await.until("the error stream to end", () -> client.finished(error));
            assertThat(client.text(error))
                    .isEqualTo(
                            "command terminated with non-zero exit code: error executing command [exit 3], exit code 3");
        }
    }

    @Test
    void aRuntimeFailureIsAnInternalError() throws IOException {
        try (SpdyTestClient client = upgrade("/exec/ns/pod/missing?command=echo&output=1", "v4.channel.k8s.io")) {
            int error = client.open("streamtype", "error");
            client.open("streamtype", "stdout");

            Await.until("the error stream to end", () -> client.finished(error));
            assertThat(client.text(error))
                    .isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred: error"
                            + " executing command in container: container `missing` not found\",\"reason\":"
                            + "\"InternalError\",\"details\":{\"causes\":[{\"message\":\"error executing command in"
                            + " container: container `missing` not found\"}]},\"code\":500}");
        }
    }

    @Test
    void outputBeyondTheSpdyWindowNeedsNoWindowUpdate() throws IOException {
        int size = 1 << 20;
        try (SpdyTestClient client =
                upgrade("/exec/ns/pod/c?command=flood&command=" + size + "&output=1", "v4.channel.k8s.io")) {
            int error = client.open("streamtype", "error");
            int stdout = client.open("streamtype", "stdout");

            Await.until("the error stream to end", () -> client.finished(error));
            assertThat(client.received(stdout)).isEqualTo(size);
            assertThat(client.finished(stdout)).isTrue();
            assertThat(client.text(error)).isEqualTo(SUCCESS);
        }
    }

    @Test
    void aClientThatStopsReadingHoldsTheProcessBack() throws Exception {
        long size = 64L << 20;
        try (SpdyTestClient client =
                upgrade("/exec/ns/pod/c?command=flood&command=" + size + "&output=1", "v4.channel.k8s.io")) {
            client.open("streamtype", "error");
            int stdout = client.open("streamtype", "stdout");
            Await.until("output to flow", () -> client.received(stdout) > 0);
            client.pauseReading();

            Await.until(
                    "the process to wait for the client",
                    () -> server.runtime.lastProcess() != null
                            && server.runtime.lastProcess().thread().getState() == Thread.State.TIMED_WAITING);
            long delivered = server.runtime.lastProcess().delivered.get();
            // What the process got out is what the client read, the socket buffers, and FlowControl's 256 KiB.
            assertThat(delivered).isLessThan(24L << 20);

            client.resumeReading();
            Await.until("all output", () -> client.received(stdout) == size);
        }
    }

    @Test
    void terminalSessionsTakeResizes() throws IOException {
        try (SpdyTestClient client =
                upgrade("/exec/ns/pod/c?command=echo&input=1&output=1&error=1&tty=1", "v4.channel.k8s.io")) {
            int error = client.open("streamtype", "error");
            int stdin = client.open("streamtype", "stdin");
            int stdout = client.open("streamtype", "stdout");
            int resize = client.open("streamtype", "resize");
            client.data(resize, "{\"Width\":100,");
            client.data(resize, "\"Height\":40}");
            Await.until("the first size", () -> server.runtime.sizes.contains(new TerminalSize(100, 40)));

            client.data(resize, "{\"Width\":120,\"Height\":50}\n");
            Await.until("the second size", () -> server.runtime.sizes.contains(new TerminalSize(120, 50)));
            client.data(stdin, "ls\r");
            Await.until("the echo", () -> client.text(stdout).equals("ls\r"));
            client.fin(stdin);

            Await.until("the error stream to end", () -> client.finished(error));
            assertThat(client.text(error)).isEqualTo(SUCCESS);
        }
    }

    @Test
    void aTerminalProcessStartsWithTheClientsFirstSize() throws IOException {
        try (SpdyTestClient client =
                upgrade("/exec/ns/pod/c?command=echo&input=1&output=1&tty=1", "v4.channel.k8s.io")) {
            client.open("streamtype", "error");
            int stdin = client.open("streamtype", "stdin");
            client.open("streamtype", "stdout");
            int resize = client.open("streamtype", "resize");
            // Every stream is open, the size comes after: the process waits for it.
            client.data(resize, "{\"Width\":77,\"Height\":22}");

            Await.until("the process to start", () -> !server.runtime.execRequests.isEmpty());
            assertThat(server.runtime.execRequests.getFirst().terminalSize()).isEqualTo(new TerminalSize(77, 22));
            client.fin(stdin);
        }
    }

    @Test
    void v2TerminalsHaveNoResizeStream() throws IOException {
        try (SpdyTestClient client =
                upgrade("/exec/ns/pod/c?command=echo&input=1&output=1&tty=1", "v2.channel.k8s.io")) {
            int error = client.open("streamtype", "error");
            int stdin = client.open("streamtype", "stdin");
            int stdout = client.open("streamtype", "stdout");
            client.data(stdin, "x");
            client.fin(stdin);

            Await.until("the error stream to end", () -> client.finished(error));
            assertThat(client.text(stdout)).isEqualTo("x");
            assertThat(client.text(error)).isEmpty();
        }
    }

    @Test
    void pingsAreEchoedAndLateStreamsRefused() throws IOException {
        try (SpdyTestClient client = upgrade("/exec/ns/pod/c?command=sleep&input=1&output=1", "v4.channel.k8s.io")) {
            client.open("streamtype", "error");
            int stdin = client.open("streamtype", "stdin");
            client.open("streamtype", "stdout");
            client.ping(1);
            client.ping(3);
            int late = client.open("streamtype", "stderr");

            Await.until("the echoes", () -> client.pings().size() == 2);
            assertThat(client.pings()).containsExactly(1, 3);
            Await.until("the late stream to be refused", () -> client.reset(late) != null);
            client.fin(stdin);
        }
    }

    @Test
    void aClientThatHangsUpEndsTheSession() throws IOException {
        SpdyTestClient client = upgrade("/exec/ns/pod/c?command=sleep&input=1&output=1", "v4.channel.k8s.io");
        client.open("streamtype", "error");
        client.open("streamtype", "stdin");
        client.open("streamtype", "stdout");
        Await.until("the process", () -> server.runtime.lastProcess() != null);

        client.close();

        FakeProcess process = server.runtime.lastProcess();
        Await.until("the session to be closed", () -> process.closeCalls.get() > 0);
    }

    @Test
    void attachRunsUntilTheContainerEnds() throws IOException {
        try (SpdyTestClient client = upgrade("/attach/ns/pod/c?input=1&output=1", "v4.channel.k8s.io")) {
            int error = client.open("streamtype", "error");
            int stdin = client.open("streamtype", "stdin");
            int stdout = client.open("streamtype", "stdout");
            client.data(stdin, "attached");
            client.fin(stdin);

            Await.until("the error stream to end", () -> client.finished(error));
            assertThat(client.text(stdout)).isEqualTo("attached");
            assertThat(client.text(error)).isEqualTo(SUCCESS);
        }
    }

    @Test
    void aDetachingClientLeavesTheContainersInputOpen() throws IOException {
        SpdyTestClient client = upgrade("/attach/ns/pod/c?input=1&output=1", "v4.channel.k8s.io");
        int error = client.open("streamtype", "error");
        int stdin = client.open("streamtype", "stdin");
        int stdout = client.open("streamtype", "stdout");
        client.data(stdin, "typed");
        Await.until("the echo", () -> client.text(stdout).equals("typed"));

        // What client-go does when it hangs up: reset every stream, close the connection.
        client.sendReset(error);
        client.sendReset(stdin);
        client.sendReset(stdout);
        client.close();

        FakeProcess process = server.runtime.lastProcess();
        Await.until("the session to be closed", () -> process.closeCalls.get() > 0);
        assertThat(process.stdinClosed).isFalse();
    }

    private SpdyTestClient upgrade(String uri, String protocol) throws IOException {
        RawClient raw = new RawClient(server.port());
        Response response = raw.request(
                "POST",
                uri,
                "Connection",
                "Upgrade",
                "Upgrade",
                "SPDY/3.1",
                "X-Stream-Protocol-Version",
                protocol,
                "Content-Length",
                "0");
        assertThat(response.status()).isEqualTo(101);
        return new SpdyTestClient(raw);
    }
}

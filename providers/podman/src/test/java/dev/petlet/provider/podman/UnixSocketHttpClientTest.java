package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP client against a scripted server on a unix socket, byte for byte as Podman answers. */
class UnixSocketHttpClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private ServerSocketChannel server;
    private UnixSocketHttpClient client;
    private final CompletableFuture<String> receivedRequest = new CompletableFuture<>();

    @BeforeEach
    void listen() throws IOException {
        Path socket = directory.resolve("fake-podman.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        client = new UnixSocketHttpClient(socket, Duration.ofSeconds(2), 1);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    @Test
    void sendsJsonRequestsAndReadsTheAnswer() throws Exception {
        serve(connection -> {
            receivedRequest.complete(readRequest(connection));
            write(
                    connection,
                    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"Id\":\"abc\"}\n");
        });

        try (HttpExchange exchange = client.open(
                HttpRequestSpec.of(
                        "POST", "/v4.0.0/libpod/pods/create", "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                TIMEOUT)) {
            assertThat(exchange.status()).isEqualTo(201);
            assertThat(new String(exchange.readBody(1000), StandardCharsets.UTF_8))
                    .isEqualTo("{\"Id\":\"abc\"}\n");
        }
        String request = receivedRequest.get(10, TimeUnit.SECONDS);
        assertThat(request).startsWith("POST /v4.0.0/libpod/pods/create HTTP/1.1\r\n");
        assertThat(request.toLowerCase())
                .contains("content-type: application/json", "content-length: 12", "connection: close");
        assertThat(request).endsWith("\r\n\r\n{\"name\":\"x\"}");
    }

    @Test
    void aPlainCallReadsTheWholeAnswerHoweverItIsFramed() throws Exception {
        LibpodClient libpod = new LibpodClient(client, new ObjectMapper());
        serve(connection -> {
            receivedRequest.complete(readRequest(connection));
            write(connection, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n{\"a\":1}\n");
        });
        assertThat(libpod.get("read a", "/a").path("a").asInt()).isEqualTo(1);
        assertThat(receivedRequest.get(10, TimeUnit.SECONDS))
                .startsWith("GET /v4.0.0/libpod/a HTTP/1.1\r\n")
                .containsIgnoringCase("connection: close");

        serve(connection -> {
            readRequest(connection);
            write(
                    connection,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"b\":\r\n3\r\n2}\n\r\n0\r\n\r\n");
        });
        assertThat(libpod.get("read b", "/b").path("b").asInt()).isEqualTo(2);

        serve(connection -> {
            readRequest(connection);
            write(connection, "HTTP/1.1 304 Not Modified\r\n\r\n");
        });
        LibpodResponse unchanged = libpod.call("POST", "/containers/x/stop", null, TIMEOUT);
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
    }

    @Test
    void aPlainCallThatGetsNoAnswerInTimeIsUnavailable() {
        LibpodClient libpod = new LibpodClient(client, new ObjectMapper());
        serve(connection -> {
            readRequest(connection);
            readToEnd(connection);
        });

        assertThatThrownBy(() -> libpod.call("GET", "/_ping", null, Duration.ofMillis(300)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("did not answer GET /v4.0.0/libpod/_ping")
                .extracting(error -> ((ProviderException) error).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void streamsAChunkedBodyPieceByPieceWithoutWaitingForTheEnd() throws Exception {
        CountDownLatch firstLineRead = new CountDownLatch(1);
        serve(connection -> {
            readRequest(connection);
            write(connection, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst\n\r\n");
            if (!firstLineRead.await(10, TimeUnit.SECONDS)) {
                throw new IOException("client never read the first chunk");
            }
            write(connection, "7\r\nsecond\n\r\n0\r\n\r\n");
        });

        try (HttpExchange exchange = client.open(HttpRequestSpec.of("GET", "/events", null), TIMEOUT)) {
            InputStream body = exchange.body();
            assertThat(new String(body.readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("first\n");
            firstLineRead.countDown();
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second\n");
        }
    }

    @Test
    void upgradedConnectionCarriesRawBytesBothWaysAndHalfCloses() throws Exception {
        serve(connection -> {
            receivedRequest.complete(readRequest(connection));
            // Headers and the first output in one packet, as Podman does when the process is quick.
            write(
                    connection,
                    "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
                    MultiplexedStreamReaderTest.frame(1, "hi"));
            byte[] input = readToEnd(connection);
            connection.write(ByteBuffer.wrap(
                    MultiplexedStreamReaderTest.frame(2, "got " + new String(input, StandardCharsets.UTF_8))));
        });

        try (HttpExchange exchange = client.open(
                new HttpRequestSpec("POST", "/exec/1/start", "{}".getBytes(StandardCharsets.UTF_8), Map.of(), true),
                TIMEOUT)) {
            assertThat(exchange.upgraded()).isTrue();
            MultiplexedStreamReader output = new MultiplexedStreamReader(exchange.body());
            assertThat(new String(output.next().payload(), StandardCharsets.UTF_8))
                    .isEqualTo("hi");

            exchange.requestBody().write("ping".getBytes(StandardCharsets.UTF_8));
            exchange.requestBody().close();

            MultiplexedStreamReader.Frame answer = output.next();
            assertThat(answer.streamId()).isEqualTo(2);
            assertThat(new String(answer.payload(), StandardCharsets.UTF_8)).isEqualTo("got ping");
            assertThat(output.next()).isNull();
        }
        assertThat(receivedRequest.get(10, TimeUnit.SECONDS).toLowerCase())
                .contains("upgrade: tcp", "connection: upgrade");
    }

    @Test
    void closingWhileWaitingForTheAnswerEndsTheWait() throws Exception {
        CountDownLatch requestArrived = new CountDownLatch(1);
        serve(connection -> {
            readRequest(connection);
            requestArrived.countDown();
            readToEnd(connection);
        });
        HttpExchange exchange = client.send(HttpRequestSpec.of("GET", "/events", null));
        CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                exchange.awaitResponse(null);
                return null;
            } catch (ProviderException e) {
                return e;
            }
        });
        assertThat(requestArrived.await(10, TimeUnit.SECONDS)).isTrue();

        exchange.close();

        assertThat(waiter.get(10, TimeUnit.SECONDS)).isInstanceOf(ProviderException.class);
    }

    @Test
    void silenceBeyondTheTimeoutIsUnavailable() throws Exception {
        serve(connection -> {
            readRequest(connection);
            readToEnd(connection);
        });

        assertThatThrownBy(() -> client.open(HttpRequestSpec.of("GET", "/_ping", null), Duration.ofMillis(300)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("did not answer GET /_ping")
                .extracting(error -> ((ProviderException) error).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void missingSocketIsUnavailableAndSaysWhere() {
        UnixSocketHttpClient nowhere =
                new UnixSocketHttpClient(directory.resolve("none.sock"), Duration.ofSeconds(1), 1);
        try {
            assertThatThrownBy(() -> nowhere.open(HttpRequestSpec.of("GET", "/_ping", null), TIMEOUT))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining(directory.resolve("none.sock").toString())
                    .hasMessageContaining("podman system service")
                    .extracting(error -> ((ProviderException) error).code())
                    .isEqualTo(ErrorCode.UNAVAILABLE);
        } finally {
            nowhere.close();
        }
    }

    @FunctionalInterface
    interface Script {
        void run(SocketChannel connection) throws Exception;
    }

    private void serve(Script script) {
        Thread.ofPlatform().daemon().start(() -> {
            try (SocketChannel connection = server.accept()) {
                script.run(connection);
            } catch (Exception e) {
                receivedRequest.completeExceptionally(e);
            }
        });
    }

    private static String readRequest(SocketChannel connection) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            one.clear();
            if (connection.read(one) < 0) {
                throw new IOException("request ended early");
            }
            request.write(one.array()[0]);
        }
        String head = request.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        while (body.hasRemaining()) {
            if (connection.read(body) < 0) {
                throw new IOException("request body ended early");
            }
        }
        return head + new String(body.array(), StandardCharsets.UTF_8);
    }

    private static byte[] readToEnd(SocketChannel connection) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (connection.read(buffer) >= 0) {
            data.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return data.toByteArray();
    }

    private static void write(SocketChannel connection, String text, byte[]... more) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] part : more) {
            bytes.writeBytes(part);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        while (buffer.hasRemaining()) {
            connection.write(buffer);
        }
    }
}

package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.petlet.spi.runtime.ContainerState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server over real TLS on a free port: client certificates, bearer tokens, robustness, streamed logs. */
@Timeout(60)
class KubeletServerTlsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final FakeRuntime runtime = new FakeRuntime();
    private final TestAuth auth = new TestAuth("alice/healthz", "alice/proxy", "bob/proxy");
    private KubeletServer server;

    @BeforeEach
    void start() throws IOException {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web")
                .withUid("uid-web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .endContainer()
                .endSpec()
                .build();
        runtime.addSandbox("sandbox-1", "uid-web", "shop", "web", "10.88.0.7");
        runtime.addContainer("app-0", "sandbox-1", "uid-web", "app", 0, ContainerState.RUNNING, "started");
        KubeletServerSettings settings = KubeletServerSettings.defaults(
                        "node-1",
                        TlsFixtures.file("server.crt"),
                        TlsFixtures.file("server.key"),
                        TlsFixtures.file("ca.crt"))
                .withAddress("127.0.0.1", 0);
        server = KubeletServer.start(
                settings,
                auth,
                auth,
                runtime,
                () -> List.of(pod),
                Map.of(),
                (ctx, request, target) -> ctx.close(),
                new NodeUsageReader(Path.of("/proc"), Path.of("/")),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    /** TLS that trusts the test CA and presents the named fixture certificate, if any. */
    private static SSLContext tls(String certificateName) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(
                "ca", PemFiles.certificates(TlsFixtures.file("ca.crt")).getFirst());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (certificateName != null) {
            keys.setKeyEntry(
                    "client",
                    PemFiles.privateKey(TlsFixtures.file(certificateName + ".key")),
                    new char[0],
                    PemFiles.certificates(TlsFixtures.file(certificateName + ".crt"))
                            .toArray(new X509Certificate[0]));
        }
        keyManagers.init(keys, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return tls;
    }

    /** An HTTP client over {@link #tls}. */
    private static HttpClient client(String certificateName) throws Exception {
        return HttpClient.newBuilder()
                .sslContext(tls(certificateName))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    private HttpResponse<String> get(HttpClient client, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void linuxOnX86OrArmServesThroughBoringSsl() {
        // bin/petlet runs the agent on C1 there, which leaves the JDK's AES-GCM at ~20 MiB/s.
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && List.of("amd64", "aarch64").contains(arch));
        assertThat(ServingTls.provider()).isEqualTo(SslProvider.OPENSSL);
    }

    @Test
    void aClientCertificateAuthenticatesAsItsCnAndOrganizations() throws Exception {
        try (HttpClient client = client("client")) {
            HttpResponse<String> response = get(client, "/healthz", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
        assertThat(auth.asked.getFirst().user()).isEqualTo(User.of("alice", List.of("dev", "ops")));
    }

    @Test
    void withoutCertificateOrTokenIs401AndATokenWorks() throws Exception {
        try (HttpClient client = client(null)) {
            assertThat(get(client, "/healthz", null).statusCode()).isEqualTo(401);
            assertThat(get(client, "/healthz", "bob").statusCode()).isEqualTo(200);
            assertThat(get(client, "/healthz", "carol").body())
                    .isEqualTo("Forbidden (user=carol, verb=get, resource=nodes, subresource(s)=[healthz proxy])\n");
        }
    }

    @Test
    void aCertificateFromAnotherCaDoesNotAuthenticate() throws Exception {
        try (HttpClient client = client("stranger")) {
            // The JDK's TLS ignores an untrusted certificate a server only asked for; the user is then nobody.
            assertThat(get(client, "/healthz", null).statusCode()).isEqualTo(401);
        }
        assertThat(auth.asked).isEmpty();
    }

    @Test
    void plainTextAndGarbageCloseOnlyTheirConnection() throws Exception {
        for (byte[] garbage : List.of(
                "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5})) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(garbage);
                out.flush();
                InputStream in = socket.getInputStream();
                assertThat(in.readAllBytes()).as("closed with nothing useful").hasSizeLessThan(100);
            }
        }
        try (HttpClient client = client("client")) {
            assertThat(get(client, "/healthz", null).statusCode()).isEqualTo(200);
        }
    }

    /** A raw TLS connection with the client certificate, for reading a streamed response as it comes. */
    private SSLSocket connect() throws Exception {
        SSLSocket socket = (SSLSocket) tls("client").getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        return socket;
    }

    private static BufferedReader get(SSLSocket socket, String path) throws IOException {
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: node\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void followedLogsArriveAsWrittenAndLeavingClosesTheSubscription() throws Exception {
        try (SSLSocket socket = connect()) {
            BufferedReader response = get(socket, "/containerLogs/shop/web/app?follow=true&timestamps=true");
            assertThat(response.readLine()).isEqualTo("HTTP/1.1 200 OK");
            List<String> head = new java.util.ArrayList<>();
            for (String line = response.readLine(); !line.isEmpty(); line = response.readLine()) {
                head.add(line.toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(head).contains("transfer-encoding: chunked");
            assertThat(response.readLine()).isEqualTo("20"); // chunk size
            assertThat(response.readLine()).isEqualTo("2025-01-01T00:00:00.12Z started");
            FakeRuntime.FollowedLog log = runtime.followed.getFirst();

            log.emit("one");
            assertThat(response.readLine()).isEmpty(); // end of the previous chunk
            assertThat(response.readLine()).isEqualTo("1b");
            assertThat(response.readLine()).isEqualTo("2025-01-02T03:04:05.5Z one");
            assertThat(log.closed).isFalse();
        }
        FakeRuntime.FollowedLog log = runtime.followed.getFirst();
        HttpExchanges.await(TIMEOUT, "the log subscription to be closed", () -> log.closed);
    }

    @Test
    void stoppingEndsFollowedLogs() throws Exception {
        try (SSLSocket socket = connect()) {
            BufferedReader response = get(socket, "/containerLogs/shop/web/app?follow");
            assertThat(response.readLine()).isEqualTo("HTTP/1.1 200 OK");

            server.close();

            FakeRuntime.FollowedLog log = runtime.followed.getFirst();
            HttpExchanges.await(TIMEOUT, "the log subscription to be closed", () -> log.closed);
            assertThatThrownBy(() -> {
                        while (socket.getInputStream().read() >= 0) {
                            // the rest of what was sent
                        }
                        throw new IOException("end of stream");
                    })
                    .as("the connection ends")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void servingFilesAreReloadedWhenTheyChange(@TempDir Path directory) throws Exception {
        Path certificate = Files.copy(TlsFixtures.file("server.crt"), directory.resolve("serving.crt"));
        Path key = Files.copy(TlsFixtures.file("server.key"), directory.resolve("serving.key"));
        ServingTls tls = new ServingTls(certificate, key, TlsFixtures.file("ca.crt"));
        var first = tls.context();

        assertThat(tls.reloadIfChanged()).isFalse();

        Files.copy(TlsFixtures.file("client.crt"), certificate, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(key, "half-written");
        touch(60, certificate, key);
        assertThat(tls.reloadIfChanged()).as("a broken pair is not taken").isFalse();
        assertThat(tls.context()).isSameAs(first);

        Files.copy(TlsFixtures.file("client.key"), key, StandardCopyOption.REPLACE_EXISTING);
        touch(120, certificate, key);
        assertThat(tls.reloadIfChanged()).isTrue();
        assertThat(tls.context()).isNotSameAs(first);
    }

    private static void touch(long secondsFromNow, Path... files) throws IOException {
        FileTime later = FileTime.from(Instant.now().plusSeconds(secondsFromNow));
        for (Path file : files) {
            Files.setLastModifiedTime(file, later);
        }
    }
}

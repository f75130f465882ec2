package dev.petlet.e2e.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.e2e.stream.KubeletEndpoint.Answer;
import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.SandboxExtension;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox node's kubelet API reached directly at InternalIP:20250, as kube-apiserver, metrics-server or
 * an attacker on the node's network reaches it: who may do what, and that malformed input at every layer
 * (TCP, TLS, HTTP, SPDY, WebSocket) ends that connection and nothing else.
 */
@SandboxE2E
class KubeletAccessE2E {
    /** Long enough for the kubelet's 30 s wait for streams that never come after an upgrade. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(45);

    private static final Duration HTTP_ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private static StreamNamespace namespace;
    private static KubeletEndpoint kubelet;
    private static Pod target;
    private static CertificateFiles admin;
    private static String suffix;
    private static KubernetesSerialization serialization;

    @BeforeAll
    static void createPod(TestCluster cluster) throws IOException {
        namespace = StreamNamespace.create(cluster, "e2e-access");
        namespace.apply(BusyboxPod.pod("target", "Always", "exec sleep 3600").build());
        target = namespace.awaitReady("target");
        kubelet = KubeletEndpoint.of(cluster);
        serialization = cluster.client().getKubernetesSerialization();
        suffix = namespace.name().substring(namespace.name().lastIndexOf('-') + 1);
        admin = kubelet.certificate("e2e-access-admin-" + suffix, "e2e-admin-" + suffix, "system:masters");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    /** After every test, malformed input included: the server still answers a well-formed request. */
    @AfterEach
    void stillServes() throws Exception {
        try (HttpClient client = kubelet.https(Optional.of(admin))) {
            HttpResponse<String> healthz =
                    KubeletEndpoint.send(client, kubelet.request("/healthz").build());
            assertThat(healthz.statusCode()).isEqualTo(200);
            assertThat(healthz.body()).isEqualTo("ok");
        }
    }

    @Test
    void withoutCredentialsIsUnauthorized() throws Exception {
        try (HttpClient anonymous = kubelet.https(Optional.empty())) {
            for (String path :
                    new String[] {"/pods", "/healthz", "/containerLogs/" + namespace.name() + "/target/app"}) {
                HttpResponse<String> response =
                        KubeletEndpoint.send(anonymous, kubelet.request(path).build());
                assertThat(response.statusCode()).as(path).isEqualTo(401);
                assertThat(response.body()).as(path).isEqualTo("Unauthorized\n");
            }
        }
    }

    @Test
    void aUserWithoutNodesProxyIsForbidden() throws Exception {
        String nobody = "e2e-nobody-" + suffix;
        CertificateFiles certificate = kubelet.certificate("e2e-access-nobody-" + suffix, nobody, "e2e-nobodies");
        try (HttpClient client = kubelet.https(Optional.of(certificate))) {
            HttpResponse<String> pods =
                    KubeletEndpoint.send(client, kubelet.request("/pods").build());
            assertThat(pods.statusCode()).isEqualTo(403);
            assertThat(pods.body())
                    .isEqualTo(
                            "Forbidden (user=" + nobody + ", verb=get, resource=nodes, subresource(s)=[pods proxy])\n");

            HttpResponse<String> exec = KubeletEndpoint.send(
                    client,
                    kubelet.request("/exec/" + namespace.name() + "/target/app?command=id&output=1")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build());
            assertThat(exec.statusCode()).isEqualTo(403);
            assertThat(exec.body())
                    .isEqualTo(
                            "Forbidden (user=" + nobody + ", verb=create, resource=nodes, subresource(s)=[proxy])\n");

            HttpResponse<String> stats = KubeletEndpoint.send(
                    client, kubelet.request("/stats/summary").build());
            assertThat(stats.statusCode()).isEqualTo(403);
            assertThat(stats.body()).contains("user=" + nobody).contains("subresource(s)=[stats]");
        }
    }

    @Test
    void systemMastersMayListThePods() throws Exception {
        try (HttpClient client = kubelet.https(Optional.of(admin))) {
            HttpResponse<String> response =
                    KubeletEndpoint.send(client, kubelet.request("/pods").build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            PodList pods = serialization.unmarshal(response.body(), PodList.class);
            assertThat(pods.getKind()).isEqualTo("PodList");
            assertThat(pods.getItems())
                    .extracting(p -> p.getMetadata().getUid())
                    .contains(target.getMetadata().getUid());
        }
    }

    // ---- malformed input -------------------------------------------------------------------------------

    /** Bytes that are not TLS, or TLS cut short, straight on the TCP connection: the server hangs up. */
    @Test
    void malformedTlsIsHungUpOn() throws Exception {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("4 KiB of random bytes", random(4096));
        cases.put("cleartext HTTP", ascii("GET /healthz HTTP/1.1\r\nHost: kubelet\r\n\r\n"));
        // A handshake record announcing 16 KiB of which only 9 bytes follow.
        cases.put(
                "a truncated TLS record",
                new byte[] {0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00, 0x3f, (byte) 0xfc, 0x03, 0x03, 0, 0, 0});
        cases.put(
                "a TLS handshake header followed by random bytes",
                concat(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}, random(512)));
        for (Map.Entry<String, byte[]> input : cases.entrySet()) {
            try (Socket socket = kubelet.tcp()) {
                socket.getOutputStream().write(input.getValue());
                socket.getOutputStream().flush();
                Answer answer = KubeletEndpoint.readUntilClosed(socket, CLOSE_TIMEOUT);
                assertThat(answer.closed()).as(input.getKey() + ": " + answer).isTrue();
                assertThat(answer.text()).as(input.getKey()).doesNotContain("HTTP/1.1 200");
            }
        }
    }

    /** A client that starts a TLS handshake and never finishes it is not kept forever. */
    @Test
    void aStalledTlsHandshakeIsHungUpOn() throws Exception {
        try (Socket socket = kubelet.tcp()) {
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00, 0x01});
            socket.getOutputStream().flush();
            Answer answer = KubeletEndpoint.readUntilClosed(socket, CLOSE_TIMEOUT);
            assertThat(answer.closed()).as(answer.toString()).isTrue();
        }
    }

    /** Malformed HTTP inside a good TLS session from an administrator: 4xx or a closed connection, never 2xx. */
    @Test
    void malformedHttpIsRefused() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("garbage request line", "GARBAGE\r\n\r\n");
        cases.put("request line of 10 000 bytes", "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: kubelet\r\n\r\n");
        cases.put(
                "40 KiB of headers",
                "GET /healthz HTTP/1.1\r\nHost: kubelet\r\nX-Big: " + "b".repeat(40 << 10) + "\r\n\r\n");
        cases.put("NUL in a header name", "GET /healthz HTTP/1.1\r\nHost: kubelet\r\nX-\0Bad: y\r\n\r\n");
        cases.put(
                "header line without a colon",
                "GET /healthz HTTP/1.1\r\nHost: kubelet\r\nthis is not a header\r\n\r\n");
        cases.put(
                "two different Content-Lengths",
                "POST /healthz HTTP/1.1\r\nHost: kubelet\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        cases.put("negative Content-Length", "POST /healthz HTTP/1.1\r\nHost: kubelet\r\nContent-Length: -1\r\n\r\n");
        cases.put(
                "invalid chunk size",
                "POST /healthz HTTP/1.1\r\nHost: kubelet\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        for (Map.Entry<String, String> input : cases.entrySet()) {
            try (SSLSocket socket = kubelet.tlsSocket(Optional.of(admin))) {
                socket.getOutputStream().write(input.getValue().getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                Answer answer = KubeletEndpoint.readUntilClosed(socket, HTTP_ANSWER_TIMEOUT);
                assertThat(answer.text())
                        .as(input.getKey() + ": " + answer)
                        .satisfiesAnyOf(text -> assertThat(text).startsWith("HTTP/1.1 4"), text -> {
                            assertThat(text).isEmpty();
                            assertThat(answer.closed()).isTrue();
                        });
            }
        }
        // Random bytes where a request should be, after a good handshake.
        try (SSLSocket socket = kubelet.tlsSocket(Optional.of(admin))) {
            socket.getOutputStream().write(random(4096));
            socket.getOutputStream().flush();
            Answer answer = KubeletEndpoint.readUntilClosed(socket, HTTP_ANSWER_TIMEOUT);
            assertThat(answer.text()).as(answer.toString()).doesNotStartWith("HTTP/1.1 2");
        }
    }

    /** An accepted SPDY upgrade followed by frames that break the protocol: the server ends the session. */
    @Test
    void malformedSpdyFramesEndTheSession() throws Exception {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        // SYN_STREAM for stream 1 whose header block is not zlib with the SPDY dictionary.
        cases.put(
                "SYN_STREAM with a corrupt header block",
                concat(
                        new byte[] {(byte) 0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0
                        },
                        random(16)));
        cases.put(
                "data for a stream never opened, then a frame of SPDY version 2",
                concat(
                        new byte[] {0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x04, 'a', 'b', 'c', 'd'},
                        new byte[] {(byte) 0x80, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1}));
        cases.put(
                "a control frame announcing 16 MiB",
                new byte[] {(byte) 0x80, 0x03, 0x00, 0x01, 0x00, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 1});
        cases.put("4 KiB of random bytes", random(4096));
        for (Map.Entry<String, byte[]> input : cases.entrySet()) {
            try (SSLSocket socket = kubelet.tlsSocket(Optional.of(admin))) {
                String head = upgrade(
                        socket,
                        "POST",
                        "/exec/" + namespace.name() + "/target/app?command=cat&input=1&output=1",
                        "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n");
                assertThat(head)
                        .as(input.getKey())
                        .startsWith("HTTP/1.1 101")
                        .containsIgnoringCase("upgrade: SPDY/3.1");
                socket.getOutputStream().write(input.getValue());
                socket.getOutputStream().flush();
                Answer answer = KubeletEndpoint.readUntilClosed(socket, CLOSE_TIMEOUT);
                assertThat(answer.closed()).as(input.getKey() + ": " + answer).isTrue();
            }
        }
    }

    /** An accepted WebSocket upgrade followed by frames that break RFC 6455: the server closes the connection. */
    @Test
    void malformedWebSocketFramesCloseTheConnection() throws Exception {
        byte[] mask = {1, 2, 3, 4};
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("an unmasked client frame", concat(new byte[] {(byte) 0x82, 0x06, 0x00}, ascii("hello")));
        cases.put("a reserved opcode", concat(new byte[] {(byte) 0x83, (byte) 0x80}, mask));
        cases.put("reserved bits set", concat(new byte[] {(byte) 0xf2, (byte) 0x82}, mask, new byte[] {1, 2}));
        cases.put(
                "a frame announcing 2^63-1 bytes",
                concat(
                        new byte[] {
                            (byte) 0x82,
                            (byte) 0xff,
                            0x7f,
                            (byte) 0xff,
                            (byte) 0xff,
                            (byte) 0xff,
                            (byte) 0xff,
                            (byte) 0xff,
                            (byte) 0xff,
                            (byte) 0xff
                        },
                        mask));
        cases.put("a fragmented control frame", concat(new byte[] {0x09, (byte) 0x80}, mask));
        cases.put("4 KiB of random bytes", random(4096));
        for (Map.Entry<String, byte[]> input : cases.entrySet()) {
            try (SSLSocket socket = kubelet.tlsSocket(Optional.of(admin))) {
                String head = upgrade(
                        socket,
                        "GET",
                        "/exec/" + namespace.name() + "/target/app?command=cat&input=1&output=1",
                        "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n");
                assertThat(head)
                        .as(input.getKey())
                        .startsWith("HTTP/1.1 101")
                        .containsIgnoringCase("upgrade: websocket");
                socket.getOutputStream().write(input.getValue());
                socket.getOutputStream().flush();
                Answer answer = KubeletEndpoint.readUntilClosed(socket, CLOSE_TIMEOUT);
                assertThat(answer.closed()).as(input.getKey() + ": " + answer).isTrue();
            }
        }
    }

    /**
     * A session that was open while other connections sent garbage at every layer goes on working: the server
     * ends only the connections that broke the protocol.
     */
    @Test
    void anOpenSessionOutlivesMalformedInputOnOtherConnections() throws Exception {
        StringBuffer stdout = new StringBuffer();
        try (HttpClient client = kubelet.https(Optional.of(admin))) {
            WebSocket session = client.newWebSocketBuilder()
                    .subprotocols("v4.channel.k8s.io")
                    .buildAsync(
                            URI.create("wss://" + kubelet.host() + ":" + SandboxExtension.KUBELET_PORT + "/exec/"
                                    + namespace.name() + "/target/app?command=cat&input=1&output=1"),
                            new ChannelCollector(1, stdout))
                    .get(30, TimeUnit.SECONDS);
            session.sendBinary(ByteBuffer.wrap(concat(new byte[] {0}, ascii("before\n"))), true)
                    .get(30, TimeUnit.SECONDS);
            Poll.untilTrue(
                    CLOSE_TIMEOUT,
                    "cat to echo \"before\"",
                    () -> stdout.toString().equals("before\n"));

            try (Socket plain = new Socket(kubelet.host(), SandboxExtension.KUBELET_PORT)) {
                plain.getOutputStream().write(random(4096));
                assertThat(KubeletEndpoint.readUntilClosed(plain, CLOSE_TIMEOUT).closed())
                        .isTrue();
            }
            try (SSLSocket socket = kubelet.tlsSocket(Optional.of(admin))) {
                upgrade(
                        socket,
                        "POST",
                        "/exec/" + namespace.name() + "/target/app?command=cat&input=1&output=1",
                        "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n");
                socket.getOutputStream().write(random(4096));
                assertThat(KubeletEndpoint.readUntilClosed(socket, CLOSE_TIMEOUT)
                                .closed())
                        .isTrue();
            }
            try (SSLSocket socket = kubelet.tlsSocket(Optional.of(admin))) {
                upgrade(
                        socket,
                        "GET",
                        "/exec/" + namespace.name() + "/target/app?command=cat&input=1&output=1",
                        "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n");
                socket.getOutputStream().write(concat(new byte[] {(byte) 0x82, 0x06, 0x00}, ascii("hello")));
                assertThat(KubeletEndpoint.readUntilClosed(socket, CLOSE_TIMEOUT)
                                .closed())
                        .isTrue();
            }

            session.sendBinary(ByteBuffer.wrap(concat(new byte[] {0}, ascii("after\n"))), true)
                    .get(30, TimeUnit.SECONDS);
            Poll.untilTrue(
                    CLOSE_TIMEOUT,
                    "cat to echo \"after\"",
                    () -> stdout.toString().equals("before\nafter\n"));
            session.sendClose(WebSocket.NORMAL_CLOSURE, "").get(30, TimeUnit.SECONDS);
        }
    }

    /** Collects the text of one channel of a channel WebSocket; messages may come in fragments. */
    private static final class ChannelCollector implements WebSocket.Listener {
        private final int channel;
        private final StringBuffer into;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();

        ChannelCollector(int channel, StringBuffer into) {
            this.channel = channel;
            this.into = into;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            message.writeBytes(bytes);
            if (last) {
                byte[] whole = message.toByteArray();
                message.reset();
                if (whole.length > 0 && (whole[0] & 0xff) == channel) {
                    into.append(new String(whole, 1, whole.length - 1, StandardCharsets.UTF_8));
                }
            }
            socket.request(1);
            return null;
        }
    }

    /** Sends an upgrade request and reads the response head (up to the blank line). */
    private static String upgrade(Socket socket, String method, String path, String headers) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(ascii(method + " " + path + " HTTP/1.1\r\nHost: " + kubelet.host() + "\r\n" + headers + "\r\n"));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}

package dev.petlet.e2e.stream;

import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.testing.ClusterTls;
import dev.petlet.testing.SandboxExtension;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The sandbox node's kubelet API as a client outside the cluster reaches it: HTTPS at the node's InternalIP on
 * {@link SandboxExtension#KUBELET_PORT}, verified with the cluster CA, with or without a client certificate.
 */
final class KubeletEndpoint {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private final TestCluster cluster;
    private final String host;

    private KubeletEndpoint(TestCluster cluster, String host) {
        this.cluster = cluster;
        this.host = host;
    }

    /** The endpoint at the InternalIP the sandbox's Node reports. */
    static KubeletEndpoint of(TestCluster cluster) {
        String nodeName = cluster.nodeName();
        Node node = cluster.client().nodes().withName(nodeName).get();
        String address = node.getStatus().getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress)
                .findFirst()
                .orElseThrow(() -> new AssertionError("node " + nodeName + " reports no InternalIP"));
        return new KubeletEndpoint(cluster, address);
    }

    String host() {
        return host;
    }

    /** A client certificate signed by the cluster CA. */
    CertificateFiles certificate(String fileName, String user, String... groups) throws IOException {
        return cluster.sandbox().pki().issue(fileName, user, List.of(groups), List.of(), List.of());
    }

    /** TLS that trusts the cluster CA and presents the certificate, if any. */
    SSLContext tls(Optional<CertificateFiles> certificate) throws Exception {
        return ClusterTls.context(cluster, certificate);
    }

    /** An HTTP/1.1 client over that TLS; close it after use. */
    HttpClient https(Optional<CertificateFiles> certificate) throws Exception {
        return HttpClient.newBuilder()
                .sslContext(tls(certificate))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .build();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://" + host + ":" + SandboxExtension.KUBELET_PORT + path))
                .timeout(REQUEST_TIMEOUT);
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A plain TCP connection to the port, for bytes that are not TLS at all. */
    Socket tcp() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, SandboxExtension.KUBELET_PORT), (int) REQUEST_TIMEOUT.toMillis());
        return socket;
    }

    /** A TLS connection, handshake done. */
    SSLSocket tlsSocket(Optional<CertificateFiles> certificate) throws Exception {
        SSLSocket socket = (SSLSocket) tls(certificate).getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress(host, SandboxExtension.KUBELET_PORT), (int) REQUEST_TIMEOUT.toMillis());
        socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
        socket.startHandshake();
        return socket;
    }

    /** What the server sent back before it closed the connection, or until the timeout passed. */
    record Answer(byte[] bytes, boolean closed, String how) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return (closed ? "closed (" + how + ")" : "still open") + " after " + bytes.length + " bytes: "
                    + text().lines().findFirst().orElse("");
        }
    }

    /** Reads until the server closes the connection (EOF, a reset or a TLS alert) or the timeout passes. */
    static Answer readUntilClosed(Socket socket, Duration timeout) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Instant deadline = Instant.now().plus(timeout);
        socket.setSoTimeout(500);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (Instant.now().isBefore(deadline)) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return new Answer(received.toByteArray(), true, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (n < 0) {
                return new Answer(received.toByteArray(), true, "EOF");
            }
            received.write(buffer, 0, n);
        }
        return new Answer(received.toByteArray(), false, "");
    }
}

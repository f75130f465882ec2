package dev.petlet.bench;

import dev.petlet.sandbox.pki.Pem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Moves bytes through petlet's kubelet API directly, without kube-apiserver in between, over the channel
 * WebSocket protocols; prints the number of payload bytes that arrived, for {@code bench/streams}.
 *
 * <pre>
 * KubeletStreamClient exec URL CA CERT KEY BYTES   # sends BYTES zero bytes to stdin (v5), counts stdout
 * KubeletStreamClient get URL CA CERT KEY PATH     # HTTP/1.0 GET PATH through port-forward, counts the body
 * </pre>
 *
 * URL is the kubelet's {@code wss://host:port/exec/...?command=cat&input=1&output=1} or {@code
 * wss://host:port/portForward/ns/pod?port=8080}; CA, CERT and KEY are PEM files (a client of the cluster CA,
 * e.g. the API server's kubelet client certificate).
 */
public final class KubeletStreamClient {
    private static final int CHUNK = 64 << 10;

    private KubeletStreamClient() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: KubeletStreamClient exec|get URL CA CERT KEY BYTES|PATH");
            System.exit(2);
        }
        HttpClient http = HttpClient.newBuilder()
                .sslContext(tls(Path.of(args[2]), Path.of(args[3]), Path.of(args[4])))
                .build();
        long received = switch (args[0]) {
            case "exec" -> exec(http, URI.create(args[1]), Long.parseLong(args[5]));
            case "get" -> get(http, URI.create(args[1]), args[5]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        System.out.println(received);
    }

    private static long exec(HttpClient http, URI uri, long bytes) throws Exception {
        Counter counter = new Counter(1, 0);
        WebSocket socket = http.newWebSocketBuilder()
                .subprotocols("v5.channel.k8s.io")
                .buildAsync(uri, counter)
                .get(30, TimeUnit.SECONDS);
        byte[] chunk = new byte[CHUNK + 1]; // channel 0, then zeros
        long left = bytes;
        while (left > 0) {
            int length = (int) Math.min(CHUNK, left);
            socket.sendBinary(ByteBuffer.wrap(chunk, 0, length + 1), true).get();
            left -= length;
        }
        socket.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 255, 0}), true).get(); // v5: close stdin
        counter.closed.get(10, TimeUnit.MINUTES);
        return counter.received.get();
    }

    private static long get(HttpClient http, URI uri, String path) throws Exception {
        // Port-forward channels: data 0 and error 1, each starting with the port (2 bytes) from the server.
        Counter counter = new Counter(0, 2);
        WebSocket socket = http.newWebSocketBuilder()
                .subprotocols("v4.channel.k8s.io")
                .buildAsync(uri, counter)
                .get(30, TimeUnit.SECONDS);
        byte[] request = ("\0GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        socket.sendBinary(ByteBuffer.wrap(request), true).get();
        counter.closed.get(10, TimeUnit.MINUTES);
        return counter.received.get() - counter.headerBytes();
    }

    /** Counts the payload bytes of one channel; remembers the start of it to find an HTTP header's end. */
    private static final class Counter implements WebSocket.Listener {
        private final int channel;
        private final int skip;
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder start = new StringBuilder();
        private boolean messageStart = true;
        private boolean counting;
        private int skipped;

        Counter(int channel, int skip) {
            this.channel = channel;
            this.skip = skip;
        }

        /** Unbounded demand: asking for one message at a time costs a hand-off per message. */
        @Override
        public void onOpen(WebSocket socket) {
            socket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            if (messageStart && data.hasRemaining()) {
                counting = (data.get() & 0xff) == channel;
            }
            messageStart = last;
            if (counting) {
                int skipNow = Math.min(skip - skipped, data.remaining());
                data.position(data.position() + skipNow);
                skipped += skipNow;
                if (start.length() < 4096) {
                    ByteBuffer copy = data.duplicate();
                    while (copy.hasRemaining() && start.length() < 4096) {
                        start.append((char) (copy.get() & 0xff));
                    }
                }
                received.addAndGet(data.remaining());
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }

        /** The length of the HTTP response header at the start of the payload. */
        long headerBytes() {
            int end = start.indexOf("\r\n\r\n");
            return end < 0 ? 0 : end + 4;
        }
    }

    private static SSLContext tls(Path ca, Path certificate, Path key) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.readCertificate(ca));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
                "client", Pem.readPrivateKey(key), new char[0], new X509Certificate[] {Pem.readCertificate(certificate)
                });
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}

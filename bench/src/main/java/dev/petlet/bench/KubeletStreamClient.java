package dev.petlet.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.petlet.sandbox.pki.Pem;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Moves bytes through petlet's kubelet API directly, without kube-apiserver in between, over the channel
 * WebSocket protocols (with {@link RawWebSocket}, a client that is not itself the limit); prints the number of
 * payload bytes that arrived, for {@code bench/streams}.
 *
 * <pre>
 * KubeletStreamClient exec URL CA CERT KEY BYTES   # sends BYTES zero bytes to stdin (v5), counts stdout
 * KubeletStreamClient get URL CA CERT KEY PATH     # HTTP/1.0 GET PATH through port-forward, counts the body
 * </pre>
 *
 * Prints the bytes that arrived and the seconds the transfer took, of a second transfer after an untimed
 * warm-up one (exec: up to 64 MiB), so that neither JVM start-up nor JIT compilation is part of the measure.
 *
 * URL is the kubelet's {@code wss://host:port/exec/...?command=cat&input=1&output=1} or {@code
 * wss://host:port/portForward/ns/pod?port=8080}; CA, CERT and KEY are PEM files (a client of the cluster CA,
 * e.g. the API server's kubelet client certificate).
 */
public final class KubeletStreamClient {
    private static final int CHUNK = 256 << 10;
    /** Room for a WebSocket frame header before the payload. */
    private static final int HEADROOM = 14;

    private static final long WARM_UP_BYTES = 64L << 20;
    private static final int RECORD_BYTES = 16 << 10;
    private static final int WARM_UP_RECORDS = 20_000;

    private KubeletStreamClient() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: KubeletStreamClient exec|get URL CA CERT KEY BYTES|PATH");
            System.exit(2);
        }
        SSLContext tls = tls(Path.of(args[2]), Path.of(args[3]), Path.of(args[4]));
        URI uri = URI.create(args[1]);
        warmUpAesGcm();
        // A first, untimed transfer lets the JIT compile the TLS and copy paths: a fresh JVM decrypts several
        // times slower than curl's OpenSSL, which would make the client, not petlet, the measure.
        transfer(tls, uri, args[0], args[5], true);
        OperatingSystemMXBean system = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = system.getProcessCpuTime();
        long start = System.nanoTime();
        long received = transfer(tls, uri, args[0], args[5], false);
        double seconds = (System.nanoTime() - start) / 1e9;
        // On standard error, so that bench/streams shows it: the client must not be what limits the measure.
        System.err.printf(
                Locale.ROOT,
                "KubeletStreamClient: the timed transfer took %.2f CPU s of this client%n",
                (system.getProcessCpuTime() - cpuStart) / 1e9);
        System.out.printf(Locale.ROOT, "%d %.6f%n", received, seconds);
    }

    /**
     * Runs the JDK's AES-GCM over 16 KiB records (TLS 1.3's) until C2 has compiled it with its AES-CTR and GHASH
     * intrinsics. A 100 MiB transfer alone is only ~6,400 records: profiles of the timed transfer still showed
     * the plain Java counter mode and GHASH, so the client decrypted at a fraction of its speed and was the limit
     * of the port-forward row.
     */
    private static void warmUpAesGcm() throws Exception {
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
        Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
        ByteBuffer plain = ByteBuffer.allocate(RECORD_BYTES);
        ByteBuffer sealed = ByteBuffer.allocate(RECORD_BYTES + 16);
        ByteBuffer opened = ByteBuffer.allocate(RECORD_BYTES);
        byte[] nonce = new byte[12];
        for (int record = 0; record < WARM_UP_RECORDS; record++) {
            ByteBuffer.wrap(nonce).putInt(8, record);
            GCMParameterSpec parameters = new GCMParameterSpec(128, nonce);
            encrypt.init(Cipher.ENCRYPT_MODE, key, parameters);
            plain.clear();
            sealed.clear();
            encrypt.doFinal(plain, sealed);
            decrypt.init(Cipher.DECRYPT_MODE, key, parameters);
            sealed.flip();
            opened.clear();
            decrypt.doFinal(sealed, opened);
        }
    }

    private static long transfer(SSLContext tls, URI uri, String mode, String argument, boolean warmUp)
            throws Exception {
        return switch (mode) {
            case "exec" ->
                exec(tls, uri, warmUp ? Math.min(WARM_UP_BYTES, Long.parseLong(argument)) : Long.parseLong(argument));
            case "get" -> get(tls, uri, argument);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
    }

    private static long exec(SSLContext tls, URI uri, long bytes) throws Exception {
        Counter counter = new Counter(1, 0);
        try (RawWebSocket socket = RawWebSocket.connect(tls, uri, "v5.channel.k8s.io")) {
            Thread sender = Thread.ofPlatform().name("sender").start(() -> {
                try {
                    byte[] buffer = new byte[HEADROOM + 1 + CHUNK]; // frame header, channel 0, then zeros
                    long left = bytes;
                    while (left > 0) {
                        int length = (int) Math.min(CHUNK, left);
                        socket.sendBinary(buffer, HEADROOM, length + 1);
                        left -= length;
                    }
                    socket.sendBinary(new byte[] {(byte) 255, 0}); // v5: close stdin
                } catch (IOException e) {
                    System.err.println("KubeletStreamClient: sending failed: " + e);
                }
            });
            socket.receive(counter);
            sender.join();
        }
        return counter.received;
    }

    private static long get(SSLContext tls, URI uri, String path) throws Exception {
        // Port-forward channels: data 0 and error 1, each starting with the port (2 bytes) from the server.
        Counter counter = new Counter(0, 2);
        try (RawWebSocket socket = RawWebSocket.connect(tls, uri, "v4.channel.k8s.io")) {
            socket.sendBinary(("\0GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.receive(counter);
        }
        return counter.received - counter.headerBytes();
    }

    /** Counts the payload bytes of one channel; remembers the start of it to find an HTTP header's end. */
    private static final class Counter implements RawWebSocket.Receiver {
        private final int channel;
        private final int skip;
        long received;
        private final StringBuilder start = new StringBuilder();
        private boolean counting;
        private int skipped;

        Counter(int channel, int skip) {
            this.channel = channel;
            this.skip = skip;
        }

        @Override
        public void frame(boolean messageStart, byte[] buffer, int offset, int length) {
            int position = offset;
            int end = offset + length;
            if (messageStart && position < end) {
                counting = (buffer[position++] & 0xff) == channel;
            }
            if (!counting) {
                return;
            }
            int skipNow = Math.min(skip - skipped, end - position);
            position += skipNow;
            skipped += skipNow;
            for (int i = position; i < end && start.length() < 4096; i++) {
                start.append((char) (buffer[i] & 0xff));
            }
            received += end - position;
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

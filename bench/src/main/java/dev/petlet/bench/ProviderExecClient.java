package dev.petlet.bench;

import dev.petlet.provider.podman.PodmanPlugin;
import dev.petlet.spi.ProviderContext;
import dev.petlet.spi.ProviderEventSink;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.OutputSink;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.StreamType;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pipes bytes through {@code cat} in a container with petlet's Podman provider alone: no kubelet API, no TLS, no
 * WebSocket. It separates what the provider and Podman's API cost from what the kubelet server costs, for {@code
 * bench/streams}.
 *
 * <pre>
 * ProviderExecClient CONTAINER-ID BYTES   # sends BYTES zero bytes to cat's stdin, counts its stdout
 * </pre>
 *
 * Prints the bytes that came back and the seconds the transfer took, of a second transfer after an untimed
 * warm-up one (up to 64 MiB). Talks to Podman at {@code PETLET_PODMAN_SOCKET} (default /run/podman/podman.sock).
 */
public final class ProviderExecClient {
    private static final int CHUNK = 256 << 10;
    private static final long WARM_UP_BYTES = 64L << 20;

    private ProviderExecClient() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ProviderExecClient CONTAINER-ID BYTES");
            System.exit(2);
        }
        long bytes = Long.parseLong(args[1]);
        Path state = Files.createTempDirectory("petlet-bench-provider");
        String socket = System.getenv().getOrDefault("PETLET_PODMAN_SOCKET", "/run/podman/podman.sock");
        ContainerRuntime runtime =
                new PodmanPlugin().runtimes().getFirst().create(Map.of("socket", socket), new Context(state));
        try {
            exec(runtime, args[0], Math.min(WARM_UP_BYTES, bytes));
            long start = System.nanoTime();
            long received = exec(runtime, args[0], bytes);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%d %.6f%n", received, seconds);
        } finally {
            runtime.close();
        }
    }

    private static long exec(ContainerRuntime runtime, String containerId, long bytes) throws Exception {
        AtomicLong received = new AtomicLong();
        OutputSink counter = (StreamType stream, byte[] data) -> {
            if (stream == StreamType.STDOUT) {
                received.addAndGet(data.length);
            }
        };
        try (StreamSession session =
                runtime.exec(containerId, new ExecRequest(List.of("cat"), false, true, true, true, null), counter)) {
            byte[] buffer = new byte[CHUNK];
            try (OutputStream stdin = session.stdin()) {
                long left = bytes;
                while (left > 0) {
                    int length = (int) Math.min(CHUNK, left);
                    stdin.write(buffer, 0, length);
                    left -= length;
                }
            }
            session.exitCode().toCompletableFuture().get(10, TimeUnit.MINUTES);
        }
        return received.get();
    }

    private record Context(Path stateDirectory) implements ProviderContext {
        @Override
        public String nodeName() {
            return "bench";
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public ProviderEventSink events() {
            return ProviderEventSink.DISCARD;
        }
    }
}

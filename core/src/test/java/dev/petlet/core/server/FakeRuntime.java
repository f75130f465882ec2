package dev.petlet.core.server;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.AttachRequest;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStats;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.ImageInfo;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.LogFrame;
import dev.petlet.spi.runtime.LogOptions;
import dev.petlet.spi.runtime.LogSink;
import dev.petlet.spi.runtime.OutputSink;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.PortForwardStream;
import dev.petlet.spi.runtime.RegistryCredentials;
import dev.petlet.spi.runtime.RuntimeEvent;
import dev.petlet.spi.runtime.RuntimeLabels;
import dev.petlet.spi.runtime.RuntimeVersion;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.StreamType;
import dev.petlet.spi.runtime.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A runtime holding sandboxes and containers the test adds, with logs: a container's recorded lines are
 * delivered at once (on the calling thread); with follow, the subscription stays open for the test to {@link
 * FollowedLog#emit} into until it ends it.
 */
final class FakeRuntime implements ContainerRuntime {
    private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");

    final List<PodSandboxStatus> sandboxes = new CopyOnWriteArrayList<>();
    final List<ContainerSummary> containers = new CopyOnWriteArrayList<>();
    final Map<String, List<LogFrame>> logs = new HashMap<>();
    final List<FollowedLog> followed = new CopyOnWriteArrayList<>();
    final List<LogOptions> logRequests = new CopyOnWriteArrayList<>();
    /** What {@link #stats} reports, whatever the filter; tests set it. */
    volatile List<ContainerStats> stats = List.of();

    PodSandboxStatus addSandbox(String id, String uid, String namespace, String name, String ip) {
        PodSandboxStatus sandbox = new PodSandboxStatus(
                id,
                uid,
                namespace,
                name,
                0,
                PodSandboxState.READY,
                CREATED,
                List.of(ip),
                false,
                Map.of(
                        RuntimeLabels.POD_UID,
                        uid,
                        RuntimeLabels.POD_NAMESPACE,
                        namespace,
                        RuntimeLabels.POD_NAME,
                        name,
                        "io.petlet.agent",
                        "me"),
                Map.of());
        sandboxes.add(sandbox);
        return sandbox;
    }

    ContainerSummary addContainer(
            String id, String sandboxId, String uid, String name, int attempt, ContainerState state, String... lines) {
        Map<String, String> labels = new HashMap<>();
        labels.put(RuntimeLabels.POD_UID, uid);
        labels.put(RuntimeLabels.CONTAINER_NAME, name);
        labels.put(RuntimeLabels.CONTAINER_RESTART_COUNT, String.valueOf(attempt));
        labels.put(RuntimeLabels.POD_NAMESPACE, "shop");
        labels.put(RuntimeLabels.POD_NAME, "web");
        labels.put("io.petlet.agent", "me");
        ContainerSummary container = new ContainerSummary(
                id,
                sandboxId,
                name,
                attempt,
                state,
                CREATED.plusSeconds(attempt),
                "localhost/" + name + ":1",
                "sha256:" + name,
                labels,
                Map.of());
        containers.add(container);
        List<LogFrame> frames = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            frames.add(new LogFrame(
                    StreamType.STDOUT,
                    CREATED.plusSeconds(i).plusNanos(120_000_000L),
                    (lines[i] + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        logs.put(id, frames);
        return container;
    }

    @Override
    public Subscription logs(String containerId, LogOptions options, LogSink sink) throws ProviderException {
        if (!logs.containsKey(containerId)) {
            throw new ProviderException(ErrorCode.NOT_FOUND, "container " + containerId + " not found");
        }
        logRequests.add(options);
        FollowedLog log = new FollowedLog(containerId, sink, options.timestamps());
        if (options.follow()) {
            // Before the recorded lines go out: a test that has read them looks for the follow here.
            followed.add(log);
        }
        for (LogFrame frame : logs.get(containerId)) {
            log.deliver(frame);
        }
        if (!options.follow()) {
            log.completion.complete(null);
        }
        return log;
    }

    /** A log subscription the test drives. */
    static final class FollowedLog implements Subscription {
        final String containerId;
        final CompletableFuture<Void> completion = new CompletableFuture<>();
        private final LogSink sink;
        private final boolean timestamps;
        volatile boolean closed;

        FollowedLog(String containerId, LogSink sink, boolean timestamps) {
            this.containerId = containerId;
            this.sink = sink;
            this.timestamps = timestamps;
        }

        void emit(String line) {
            deliver(new LogFrame(
                    StreamType.STDOUT,
                    Instant.parse("2025-01-02T03:04:05.5Z"),
                    (line + "\n").getBytes(StandardCharsets.UTF_8)));
        }

        void deliver(LogFrame frame) {
            if (closed || completion.isDone()) {
                return;
            }
            try {
                sink.accept(timestamps ? frame : new LogFrame(frame.stream(), null, frame.data()));
            } catch (IOException | RuntimeException e) {
                completion.completeExceptionally(e);
            }
        }

        void end() {
            completion.complete(null);
        }

        @Override
        public CompletionStage<Void> completion() {
            return completion;
        }

        @Override
        public void close() {
            closed = true;
            completion.complete(null);
        }
    }

    @Override
    public List<PodSandboxSummary> listPodSandboxes(PodSandboxFilter filter) {
        return sandboxes.stream()
                .filter(s -> s.labels().entrySet().containsAll(filter.labels().entrySet()))
                .map(s -> new PodSandboxSummary(
                        s.id(),
                        s.podUid(),
                        s.namespace(),
                        s.name(),
                        s.attempt(),
                        s.state(),
                        s.createdAt(),
                        s.labels(),
                        s.annotations()))
                .toList();
    }

    @Override
    public PodSandboxStatus podSandboxStatus(String sandboxId) throws ProviderException {
        return sandboxes.stream()
                .filter(s -> s.id().equals(sandboxId))
                .findFirst()
                .orElseThrow(() -> new ProviderException(ErrorCode.NOT_FOUND, "sandbox " + sandboxId + " not found"));
    }

    /** How many times {@link #listContainers} was called. */
    final java.util.concurrent.atomic.AtomicInteger containerListings = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public List<ContainerSummary> listContainers(ContainerFilter filter) {
        containerListings.incrementAndGet();
        return containers.stream()
                .filter(c -> c.labels().entrySet().containsAll(filter.labels().entrySet()))
                .toList();
    }

    private static ProviderException unsupported() {
        return new ProviderException(ErrorCode.UNSUPPORTED, "not in this fake");
    }

    @Override
    public RuntimeVersion version() throws ProviderException {
        throw unsupported();
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config) throws ProviderException {
        throw unsupported();
    }

    @Override
    public void stopPodSandbox(String sandboxId) throws ProviderException {
        throw unsupported();
    }

    @Override
    public void removePodSandbox(String sandboxId) throws ProviderException {
        throw unsupported();
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig)
            throws ProviderException {
        throw unsupported();
    }

    @Override
    public void startContainer(String containerId) throws ProviderException {
        throw unsupported();
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) throws ProviderException {
        throw unsupported();
    }

    @Override
    public void removeContainer(String containerId) throws ProviderException {
        throw unsupported();
    }

    @Override
    public ContainerStatus containerStatus(String containerId) throws ProviderException {
        throw unsupported();
    }

    @Override
    public String pullImage(ImageSpec image, Optional<RegistryCredentials> credentials) throws ProviderException {
        throw unsupported();
    }

    @Override
    public Optional<ImageInfo> imageStatus(ImageSpec image) throws ProviderException {
        throw unsupported();
    }

    @Override
    public List<ImageInfo> listImages() throws ProviderException {
        throw unsupported();
    }

    @Override
    public void removeImage(ImageSpec image) throws ProviderException {
        throw unsupported();
    }

    @Override
    public StreamSession exec(String containerId, ExecRequest request, OutputSink sink) throws ProviderException {
        throw unsupported();
    }

    @Override
    public StreamSession attach(String containerId, AttachRequest request, OutputSink sink) throws ProviderException {
        throw unsupported();
    }

    @Override
    public PortForwardStream portForward(String sandboxId, int port) throws ProviderException {
        throw unsupported();
    }

    @Override
    public List<ContainerStats> stats(ContainerFilter filter) throws ProviderException {
        return stats;
    }

    @Override
    public Subscription events(Consumer<RuntimeEvent> listener) throws ProviderException {
        throw unsupported();
    }

    @Override
    public void close() {}
}

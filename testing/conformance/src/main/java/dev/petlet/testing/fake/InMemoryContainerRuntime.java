package dev.petlet.testing.fake;

import static java.util.Objects.requireNonNull;

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
import dev.petlet.spi.runtime.RuntimeVersion;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.StreamType;
import dev.petlet.spi.runtime.Subscription;
import dev.petlet.spi.runtime.TerminalSize;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A {@link ContainerRuntime} in memory: sandboxes, containers, images and logs are plain objects and a
 * container's process is a {@link FakeProcess} on a virtual thread. It passes the conformance kit, so it
 * serves as the reference for what a runtime does and as a fast runtime for unit tests. Port-forward, attach
 * and terminal resizing are {@link ErrorCode#UNSUPPORTED}.
 */
public final class InMemoryContainerRuntime implements ContainerRuntime {
    private final Clock clock;
    private final Set<String> registry;
    private final Map<String, ImageInfo> images = new ConcurrentHashMap<>();
    private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final List<EventSubscription> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param clock for every timestamp
     * @param localImages references stored locally from the start
     * @param registry references a pull finds; any other pull is {@link ErrorCode#NOT_FOUND}
     */
    public InMemoryContainerRuntime(Clock clock, Set<String> localImages, Set<String> registry) {
        this.clock = requireNonNull(clock, "clock");
        this.registry = Set.copyOf(registry);
        localImages.forEach(this::store);
    }

    /** A runtime with {@code localhost/busybox:latest} stored and an empty registry. */
    public static InMemoryContainerRuntime withBusybox() {
        return new InMemoryContainerRuntime(Clock.systemUTC(), Set.of("localhost/busybox:latest"), Set.of());
    }

    private ImageInfo store(String reference) {
        return images.computeIfAbsent(
                reference,
                r -> new ImageInfo(
                        "sha256:"
                                + UUID.nameUUIDFromBytes(r.getBytes())
                                        .toString()
                                        .replace("-", ""),
                        List.of(r),
                        List.of(),
                        1024));
    }

    private final class Sandbox {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final PodSandboxConfig config;
        final Instant createdAt = clock.instant();
        volatile PodSandboxState state = PodSandboxState.READY;

        Sandbox(PodSandboxConfig config) {
            this.config = config;
        }

        PodSandboxStatus status() {
            return new PodSandboxStatus(
                    id,
                    config.podUid(),
                    config.namespace(),
                    config.name(),
                    config.attempt(),
                    state,
                    createdAt,
                    config.hostNetwork() ? List.of() : List.of("10.88.0." + (Math.abs(id.hashCode()) % 250 + 2)),
                    config.hostNetwork(),
                    config.labels(),
                    config.annotations());
        }
    }

    private final class Container {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final String sandboxId;
        final ContainerConfig config;
        final String imageId;
        final Instant createdAt = clock.instant();
        final List<LogFrame> log = new CopyOnWriteArrayList<>();
        volatile ContainerState state = ContainerState.CREATED;
        volatile Instant startedAt;
        volatile Instant finishedAt;
        volatile Integer exitCode;
        volatile FakeProcess process;
        final CompletableFuture<Void> exited = new CompletableFuture<>();

        Container(String sandboxId, ContainerConfig config, String imageId) {
            this.sandboxId = sandboxId;
            this.config = config;
            this.imageId = imageId;
        }

        ContainerStatus status() {
            return new ContainerStatus(
                    id,
                    sandboxId,
                    config.name(),
                    config.attempt(),
                    state,
                    createdAt,
                    startedAt,
                    finishedAt,
                    exitCode,
                    exitCode == null
                            ? null
                            : exitCode == 0 ? ContainerStatus.REASON_COMPLETED : ContainerStatus.REASON_ERROR,
                    null,
                    config.image().reference(),
                    imageId,
                    config.labels(),
                    config.annotations(),
                    config.logPath());
        }

        ContainerSummary summary() {
            return new ContainerSummary(
                    id,
                    sandboxId,
                    config.name(),
                    config.attempt(),
                    state,
                    createdAt,
                    config.image().reference(),
                    imageId,
                    config.labels(),
                    config.annotations());
        }
    }

    private void publish(
            RuntimeEvent.Type type,
            String containerId,
            String sandboxId,
            Integer exitCode,
            Map<String, String> labels) {
        RuntimeEvent event = new RuntimeEvent(type, containerId, sandboxId, clock.instant(), exitCode, labels);
        listeners.forEach(listener -> listener.deliver(event));
    }

    private Sandbox sandbox(String id) throws ProviderException {
        Sandbox sandbox = sandboxes.get(id);
        if (sandbox == null) {
            throw new ProviderException(ErrorCode.NOT_FOUND, "pod sandbox " + id + " not found");
        }
        return sandbox;
    }

    private Container container(String id) throws ProviderException {
        Container container = containers.get(id);
        if (container == null) {
            throw new ProviderException(ErrorCode.NOT_FOUND, "container " + id + " not found");
        }
        return container;
    }

    @Override
    public RuntimeVersion version() {
        return new RuntimeVersion("in-memory", "1", "1");
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config) throws ProviderException {
        for (Sandbox existing : sandboxes.values()) {
            if (existing.config.podUid().equals(config.podUid()) && existing.config.attempt() == config.attempt()) {
                throw new ProviderException(
                        ErrorCode.ALREADY_EXISTS,
                        "a sandbox for pod " + config.namespace() + "/" + config.name() + " attempt " + config.attempt()
                                + " exists already");
            }
        }
        Sandbox sandbox = new Sandbox(config);
        sandboxes.put(sandbox.id, sandbox);
        return sandbox.id;
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        Sandbox sandbox = sandboxes.get(sandboxId);
        if (sandbox == null || sandbox.state == PodSandboxState.NOTREADY) {
            return;
        }
        for (Container container : containers.values()) {
            if (container.sandboxId.equals(sandboxId)) {
                kill(container);
            }
        }
        sandbox.state = PodSandboxState.NOTREADY;
        publish(RuntimeEvent.Type.SANDBOX_STOPPED, null, sandboxId, null, sandbox.config.labels());
    }

    @Override
    public void removePodSandbox(String sandboxId) throws ProviderException {
        Sandbox sandbox = sandboxes.get(sandboxId);
        if (sandbox == null) {
            return;
        }
        for (Container container : List.copyOf(containers.values())) {
            if (container.sandboxId.equals(sandboxId)) {
                removeContainer(container.id);
            }
        }
        sandboxes.remove(sandboxId);
        publish(RuntimeEvent.Type.SANDBOX_REMOVED, null, sandboxId, null, sandbox.config.labels());
    }

    @Override
    public PodSandboxStatus podSandboxStatus(String sandboxId) throws ProviderException {
        return sandbox(sandboxId).status();
    }

    @Override
    public List<PodSandboxSummary> listPodSandboxes(PodSandboxFilter filter) {
        return sandboxes.values().stream()
                .filter(sandbox -> filter.id() == null || filter.id().equals(sandbox.id))
                .filter(sandbox -> filter.state() == null || filter.state() == sandbox.state)
                .filter(sandbox -> sandbox.config
                        .labels()
                        .entrySet()
                        .containsAll(filter.labels().entrySet()))
                .map(sandbox -> new PodSandboxSummary(
                        sandbox.id,
                        sandbox.config.podUid(),
                        sandbox.config.namespace(),
                        sandbox.config.name(),
                        sandbox.config.attempt(),
                        sandbox.state,
                        sandbox.createdAt,
                        sandbox.config.labels(),
                        sandbox.config.annotations()))
                .toList();
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig)
            throws ProviderException {
        Sandbox sandbox = sandbox(sandboxId);
        if (sandbox.state != PodSandboxState.READY) {
            throw new ProviderException(ErrorCode.INVALID, "pod sandbox " + sandboxId + " is not ready");
        }
        ImageInfo image = images.get(config.image().reference());
        if (image == null) {
            throw new ProviderException(ErrorCode.NOT_FOUND, "image " + config.image() + " is not stored locally");
        }
        for (Container existing : containers.values()) {
            if (existing.sandboxId.equals(sandboxId)
                    && existing.config.name().equals(config.name())
                    && existing.config.attempt() == config.attempt()) {
                throw new ProviderException(
                        ErrorCode.ALREADY_EXISTS,
                        "container " + config.name() + " attempt " + config.attempt() + " exists in sandbox "
                                + sandboxId);
            }
        }
        Container container = new Container(sandboxId, config, image.id());
        containers.put(container.id, container);
        publish(RuntimeEvent.Type.CONTAINER_CREATED, container.id, sandboxId, null, config.labels());
        return container.id;
    }

    @Override
    public synchronized void startContainer(String containerId) throws ProviderException {
        Container container = container(containerId);
        if (container.state == ContainerState.RUNNING) {
            return;
        }
        if (container.state != ContainerState.CREATED) {
            throw new ProviderException(
                    ErrorCode.INVALID, "container " + containerId + " has exited; create a new one");
        }
        List<String> command = new ArrayList<>(container.config.command());
        command.addAll(container.config.args());
        if (command.isEmpty()) {
            throw new ProviderException(ErrorCode.INVALID, "container " + containerId + " has no command");
        }
        FakeProcess process = new FakeProcess(
                command,
                (stream, data) -> container.log.add(new LogFrame(stream, clock.instant(), data)),
                InputStream.nullInputStream());
        container.process = process;
        container.startedAt = clock.instant();
        container.state = ContainerState.RUNNING;
        publish(RuntimeEvent.Type.CONTAINER_STARTED, containerId, container.sandboxId, null, container.config.labels());
        threads.execute(() -> {
            int exit;
            try {
                exit = process.run();
            } catch (Exception e) {
                exit = 1;
            }
            finish(container, exit);
        });
    }

    private void finish(Container container, int exit) {
        synchronized (container) {
            if (container.state != ContainerState.RUNNING) {
                return;
            }
            container.exitCode = exit;
            container.finishedAt = clock.instant();
            container.state = ContainerState.EXITED;
        }
        container.exited.complete(null);
        publish(RuntimeEvent.Type.CONTAINER_DIED, container.id, container.sandboxId, exit, container.config.labels());
    }

    private void kill(Container container) {
        FakeProcess process = container.process;
        if (process != null) {
            process.kill();
            container.exited.join();
        }
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) throws ProviderException {
        kill(container(containerId));
    }

    @Override
    public void removeContainer(String containerId) {
        Container container = containers.get(containerId);
        if (container == null) {
            return;
        }
        kill(container);
        containers.remove(containerId);
        publish(RuntimeEvent.Type.CONTAINER_REMOVED, containerId, container.sandboxId, null, container.config.labels());
    }

    @Override
    public ContainerStatus containerStatus(String containerId) throws ProviderException {
        return container(containerId).status();
    }

    @Override
    public List<ContainerSummary> listContainers(ContainerFilter filter) {
        return containers.values().stream()
                .filter(c -> filter.id() == null || filter.id().equals(c.id))
                .filter(c -> filter.sandboxId() == null || filter.sandboxId().equals(c.sandboxId))
                .filter(c -> filter.state() == null || filter.state() == c.state)
                .filter(c ->
                        c.config.labels().entrySet().containsAll(filter.labels().entrySet()))
                .map(Container::summary)
                .toList();
    }

    @Override
    public String pullImage(ImageSpec image, Optional<RegistryCredentials> credentials) throws ProviderException {
        if (!registry.contains(image.reference())) {
            throw new ProviderException(ErrorCode.NOT_FOUND, "image " + image + " not found in the registry");
        }
        return store(image.reference()).id();
    }

    @Override
    public Optional<ImageInfo> imageStatus(ImageSpec image) {
        return Optional.ofNullable(images.get(image.reference()));
    }

    @Override
    public List<ImageInfo> listImages() {
        return List.copyOf(images.values());
    }

    @Override
    public void removeImage(ImageSpec image) throws ProviderException {
        ImageInfo info = images.get(image.reference());
        if (info == null) {
            return;
        }
        if (containers.values().stream().anyMatch(c -> c.imageId.equals(info.id()))) {
            throw new ProviderException(ErrorCode.INVALID, "image " + image + " is used by a container");
        }
        images.remove(image.reference());
    }

    @Override
    public Subscription logs(String containerId, LogOptions options, LogSink sink) throws ProviderException {
        Container container = container(containerId);
        CompletableFuture<Void> completion = new CompletableFuture<>();
        threads.execute(() -> {
            try {
                int delivered = 0;
                while (!completion.isDone()) {
                    boolean ended = container.state == ContainerState.EXITED;
                    List<LogFrame> frames = container.log;
                    for (; delivered < frames.size(); delivered++) {
                        LogFrame frame = frames.get(delivered);
                        if ((frame.stream() == StreamType.STDOUT && options.stdout())
                                || (frame.stream() == StreamType.STDERR && options.stderr())) {
                            sink.accept(frame);
                        }
                    }
                    if (!options.follow() || ended) {
                        break;
                    }
                    try {
                        container.exited.get(20, java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        // more frames may have arrived: deliver them
                    }
                }
                completion.complete(null);
            } catch (Exception e) {
                completion.completeExceptionally(e);
            }
        });
        return new Subscription() {
            @Override
            public CompletionStage<Void> completion() {
                return completion;
            }

            @Override
            public void close() {
                completion.complete(null);
            }
        };
    }

    @Override
    public StreamSession exec(String containerId, ExecRequest request, OutputSink sink) throws ProviderException {
        Container container = container(containerId);
        if (container.state != ContainerState.RUNNING) {
            throw new ProviderException(ErrorCode.INVALID, "container " + containerId + " is not running");
        }
        BlockingPipe stdin = new BlockingPipe();
        if (!request.stdin()) {
            stdin.end();
        }
        FakeProcess process = new FakeProcess(
                request.command(),
                (stream, data) -> {
                    if ((stream == StreamType.STDOUT && request.stdout())
                            || (stream == StreamType.STDERR && request.stderr())) {
                        sink.accept(request.tty() ? StreamType.STDOUT : stream, data);
                    }
                },
                stdin.reader);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        threads.execute(() -> {
            try {
                exit.complete(process.run());
            } catch (Exception e) {
                exit.completeExceptionally(new ProviderException(ErrorCode.INTERNAL, "exec failed: " + e, e));
            }
        });
        return new StreamSession() {
            @Override
            public OutputStream stdin() {
                return stdin.writer;
            }

            @Override
            public void resize(TerminalSize size) {}

            @Override
            public CompletionStage<Integer> exitCode() {
                return exit;
            }

            @Override
            public void close() {
                exit.cancel(false);
            }
        };
    }

    @Override
    public StreamSession attach(String containerId, AttachRequest request, OutputSink sink) throws ProviderException {
        container(containerId);
        throw new ProviderException(ErrorCode.UNSUPPORTED, "the in-memory runtime does not attach");
    }

    @Override
    public PortForwardStream portForward(String sandboxId, int port) throws ProviderException {
        sandbox(sandboxId);
        throw new ProviderException(ErrorCode.UNSUPPORTED, "the in-memory runtime has no network");
    }

    @Override
    public List<ContainerStats> stats(ContainerFilter filter) {
        return listContainers(filter).stream()
                .filter(c -> c.state() == ContainerState.RUNNING)
                .map(c -> new ContainerStats(c.id(), c.sandboxId(), clock.instant(), 0, 0, c.labels(), c.createdAt()))
                .toList();
    }

    @Override
    public Subscription events(Consumer<RuntimeEvent> listener) {
        EventSubscription subscription = new EventSubscription(listener);
        listeners.add(subscription);
        return subscription;
    }

    /** Delivers events in order, one at a time; a throwing listener is kept, as the SPI says. */
    private final class EventSubscription implements Subscription {
        private final Consumer<RuntimeEvent> listener;
        private final CompletableFuture<Void> completion = new CompletableFuture<>();

        EventSubscription(Consumer<RuntimeEvent> listener) {
            this.listener = listener;
        }

        synchronized void deliver(RuntimeEvent event) {
            if (completion.isDone()) {
                return;
            }
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // kept: a listener's failure must not end the stream
            }
        }

        @Override
        public CompletionStage<Void> completion() {
            return completion;
        }

        @Override
        public void close() {
            listeners.remove(this);
            completion.complete(null);
        }
    }

    @Override
    public void close() {
        listeners.forEach(EventSubscription::close);
        threads.shutdownNow();
    }
}

package dev.petlet.provider.podman;

import static dev.petlet.provider.podman.LibpodClient.DEFAULT_TIMEOUT;
import static dev.petlet.provider.podman.LibpodFilters.parameter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.petlet.spi.runtime.RuntimeListing;
import dev.petlet.spi.runtime.RuntimeVersion;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.Subscription;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on Podman 4's libpod REST API. A sandbox is a Podman pod, whose infra container
 * holds the shared namespaces; containers join it. The contract (idempotency, errors, threading) is the
 * SPI's; Podman-specific choices are documented where they are made.
 */
final class PodmanRuntime implements ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(PodmanRuntime.class);

    /** Ids and names callers pass in end up in URL paths: allow only what Podman ids and names use. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** Image references in URL paths: everything a reference may contain, nothing that changes the path. */
    private static final Pattern IMAGE_REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/@+-]*");

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Podman answers a pull as soon as it starts trying; the pull itself may take much longer. */
    private static final Duration PULL_ANSWER_TIMEOUT = Duration.ofMinutes(5);
    /** Added to a stop's grace period for Podman's own work. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(30);

    private static final Duration PORT_FORWARD_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** An exec session is marked finished a moment after its output ends. */
    private static final Duration EXEC_EXIT_WAIT = Duration.ofSeconds(10);
    /** An attach stream ends when the container exits; its exit code follows within moments. */
    private static final Duration ATTACH_EXIT_WAIT = Duration.ofSeconds(30);

    private final PodmanConfig config;
    private final LibpodClient libpod;
    private final ObjectMapper json;
    private final Clock clock;
    private final ThreadFactory streamThreads =
            Thread.ofVirtual().name("podman-stream-", 0).factory();
    private final Set<AutoCloseable> openStreams = ConcurrentHashMap.newKeySet();
    private final CgroupMemory cgroups = new CgroupMemory(Path.of("/sys/fs/cgroup"));
    /** The cgroup of each running container {@link #stats} saw, by container id. */
    private final Map<String, String> cgroupPaths = new ConcurrentHashMap<>();
    /** Sandboxes being created and started: at most {@link PodmanConfig#sandboxStarts}, the rest wait in order. */
    private final Semaphore sandboxStarts;
    /** By container id: the attach connections that keep a container's stdin open between sessions. */
    private final Map<String, SharedAttach> sharedAttaches = new HashMap<>();

    PodmanRuntime(PodmanConfig config, LibpodClient libpod, Clock clock) {
        this.config = config;
        this.libpod = libpod;
        this.json = libpod.json();
        this.clock = clock;
        this.sandboxStarts = new Semaphore(config.sandboxStarts(), true);
    }

    static PodmanRuntime create(PodmanConfig config, Clock clock) {
        ObjectMapper json = new ObjectMapper();
        UnixSocketHttpClient http = new UnixSocketHttpClient(config.socket(), CONNECT_TIMEOUT, 2);
        return new PodmanRuntime(config, new LibpodClient(http, json), clock);
    }

    @Override
    public RuntimeVersion version() throws ProviderException {
        JsonNode version = libpod.get("report its version", "/version");
        String podmanVersion = version.path("Version").asText("");
        String apiVersion = podmanVersion;
        for (JsonNode component : version.path("Components")) {
            if (component.path("Name").asText("").equals("Podman Engine")) {
                apiVersion = component.path("Details").path("APIVersion").asText(apiVersion);
            }
        }
        return new RuntimeVersion(PodmanRuntimeFactory.NAME, podmanVersion, apiVersion);
    }

    // ---- pod sandboxes

    /** Podman names a pod's infra container after the first this many characters of the pod's id: "…-infra". */
    private static final int INFRA_NAME_ID_LENGTH = 12;

    @Override
    public String runPodSandbox(PodSandboxConfig sandbox) throws ProviderException {
        try {
            sandboxStarts.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE,
                    "interrupted while waiting to create the sandbox of pod " + sandbox.namespace() + "/"
                            + sandbox.name());
        }
        try {
            return runPodSandboxNow(sandbox);
        } finally {
            sandboxStarts.release();
        }
    }

    private String runPodSandboxNow(PodSandboxConfig sandbox) throws ProviderException {
        String pod = sandbox.namespace() + "/" + sandbox.name();
        JsonNode created = libpod.request(
                "create a pod sandbox for pod " + pod,
                "POST",
                "/pods/create",
                LibpodRequests.podCreate(sandbox, json),
                DEFAULT_TIMEOUT);
        String id = created.path("Id").asText();
        try {
            libpod.request(
                    "start the pod sandbox of pod " + pod, "POST", "/pods/" + id + "/start", null, DEFAULT_TIMEOUT);
        } catch (ProviderException e) {
            removeAfterFailedStart(id);
            // Podman answers a failed pod start with 409 and errors such as "address already in use": the
            // configuration cannot run here, whatever the status suggests.
            throw e.code() == ErrorCode.UNAVAILABLE ? e : new ProviderException(ErrorCode.INVALID, e.getMessage(), e);
        }
        LOG.debug("started pod sandbox {} for pod {}", id, pod);
        return id;
    }

    private void removeAfterFailedStart(String id) {
        try {
            removePodSandbox(id);
        } catch (ProviderException e) {
            LOG.warn("could not remove pod sandbox {} after it failed to start: {}", id, e.getMessage());
        }
    }

    /**
     * Stops what still runs in the pod one by one, the infra container last. Not Podman's pod stop: the core
     * stops a pod's containers before its sandbox, which leaves the pod "Degraded" (some containers exited,
     * some running), and Podman 4.3 answers "304 Not Modified" to stopping a degraded pod and leaves it running.
     */
    @Override
    public void stopPodSandbox(String sandboxId) throws ProviderException {
        checkId("sandbox", sandboxId);
        LibpodResponse response = libpod.call("GET", "/pods/" + sandboxId + "/json", null, DEFAULT_TIMEOUT);
        succeedUnlessFailedOtherThanMissing("inspect pod sandbox " + sandboxId, response);
        if (!response.succeeded()) {
            return;
        }
        JsonNode pod = libpod.parse("inspect pod sandbox " + sandboxId, response.body());
        String infraId = pod.path("InfraContainerID").asText("");
        List<String> running = new ArrayList<>();
        for (JsonNode container : pod.path("Containers")) {
            if ("running".equalsIgnoreCase(container.path("State").asText(""))) {
                running.add(container.path("Id").asText());
            }
        }
        running.sort((left, right) -> Boolean.compare(left.equals(infraId), right.equals(infraId)));
        for (String containerId : running) {
            LibpodResponse stopped =
                    libpod.call("POST", "/containers/" + containerId + "/stop?timeout=0", null, DEFAULT_TIMEOUT);
            succeedUnlessFailedOtherThanMissing(
                    "stop container " + containerId + " of pod sandbox " + sandboxId, stopped);
        }
    }

    @Override
    public void removePodSandbox(String sandboxId) throws ProviderException {
        checkId("sandbox", sandboxId);
        LibpodResponse response =
                libpod.call("DELETE", "/pods/" + sandboxId + "?force=true&timeout=0", null, DEFAULT_TIMEOUT);
        succeedUnlessFailedOtherThanMissing("remove pod sandbox " + sandboxId, response);
        if (response.succeeded()) {
            // Podman 4.3 answers 200 with the removal's error in the report when removing fails
            // (seen under load): the pod is still there.
            JsonNode report = libpod.parse("remove pod sandbox " + sandboxId, response.body());
            JsonNode error = report.path("Err");
            if (!error.isMissingNode() && !error.isNull()) {
                throw new ProviderException(
                        ErrorCode.UNAVAILABLE,
                        "Podman could not remove pod sandbox " + sandboxId + ": "
                                + (error.isTextual() ? error.asText() : error.toString()));
            }
        }
    }

    @Override
    public PodSandboxStatus podSandboxStatus(String sandboxId) throws ProviderException {
        checkId("sandbox", sandboxId);
        // One inspection where two were: the infra container, by the name Podman gives it, has it all. Else
        // (no such container: the pod is gone, or was made another way) the pod's own inspection says.
        if (sandboxId.length() >= INFRA_NAME_ID_LENGTH) {
            LibpodResponse response = libpod.call(
                    "GET",
                    "/containers/" + sandboxId.substring(0, INFRA_NAME_ID_LENGTH) + "-infra/json",
                    null,
                    DEFAULT_TIMEOUT);
            if (response.succeeded()) {
                JsonNode infra = libpod.parse("inspect the infra container of " + sandboxId, response.body());
                if (infra.path("IsInfra").asBoolean(false)
                        && infra.path("Pod").asText("").startsWith(sandboxId)) {
                    return LibpodResponses.sandboxStatusOfInfra(infra);
                }
            }
        }
        JsonNode pod = libpod.get("inspect pod sandbox " + sandboxId, "/pods/" + sandboxId + "/json");
        String infraId = pod.path("InfraContainerID").asText("");
        JsonNode infra = null;
        if (!infraId.isEmpty()) {
            LibpodResponse response = libpod.call("GET", "/containers/" + infraId + "/json", null, DEFAULT_TIMEOUT);
            if (response.succeeded()) {
                infra = libpod.parse("inspect the infra container of " + sandboxId, response.body());
            }
        }
        return LibpodResponses.sandboxStatus(pod, infra);
    }

    @Override
    public List<PodSandboxSummary> listPodSandboxes(PodSandboxFilter filter) throws ProviderException {
        JsonNode pods = libpod.get("list pod sandboxes", "/pods/json" + LibpodFilters.pods(filter));
        List<PodSandboxSummary> sandboxes = new ArrayList<>();
        for (JsonNode pod : pods) {
            PodSandboxSummary sandbox = LibpodResponses.sandboxSummary(pod);
            if ((filter.id() == null || sandbox.id().startsWith(filter.id()))
                    && (filter.state() == null || sandbox.state() == filter.state())
                    && PodmanLabels.matches(filter.labels(), sandbox.labels())) {
                sandboxes.add(sandbox);
            }
        }
        return sandboxes;
    }

    // ---- containers

    @Override
    public String createContainer(String sandboxId, ContainerConfig container, PodSandboxConfig sandbox)
            throws ProviderException {
        checkId("sandbox", sandboxId);
        var body = LibpodRequests.containerCreate(sandboxId, container, sandbox, json);
        if (container.security().runAsUser() == null && container.security().runAsGroup() != null) {
            // Podman takes a group only with a user: keep the image's user, as the CRI runtimes do.
            String imageUser =
                    imageStatus(container.image()).map(ImageInfo::user).orElse("");
            body.put(
                    "user",
                    LibpodSecurity.userWithGroup(imageUser, container.security().runAsGroup()));
        }
        JsonNode created = libpod.request(
                "create container " + container.name() + " of pod " + sandbox.namespace() + "/" + sandbox.name(),
                "POST",
                "/containers/create",
                body,
                DEFAULT_TIMEOUT);
        return created.path("Id").asText();
    }

    @Override
    public void startContainer(String containerId) throws ProviderException {
        checkId("container", containerId);
        LibpodResponse response = libpod.call("POST", "/containers/" + containerId + "/start", null, DEFAULT_TIMEOUT);
        if (response.succeeded()) {
            return;
        }
        ProviderException error =
                PodmanErrors.fromResponse("start container " + containerId, response.status(), response.body());
        if (error.code() == ErrorCode.INTERNAL) {
            // The OCI runtime's complaints (bad mount, missing executable) arrive as plain 500s.
            throw new ProviderException(ErrorCode.INVALID, error.getMessage());
        }
        throw error;
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) throws ProviderException {
        checkId("container", containerId);
        long seconds = Math.max(0, (timeout.toMillis() + 999) / 1000);
        libpod.request(
                "stop container " + containerId,
                "POST",
                "/containers/" + containerId + "/stop?timeout=" + seconds,
                null,
                timeout.plus(STOP_MARGIN));
    }

    @Override
    public void removeContainer(String containerId) throws ProviderException {
        checkId("container", containerId);
        // depend: an ephemeral container in this one's PID namespace goes with it (Podman refuses otherwise).
        LibpodResponse response = libpod.call(
                "DELETE",
                "/containers/" + containerId + "?force=true&v=true&timeout=0&depend=true",
                null,
                DEFAULT_TIMEOUT);
        succeedUnlessFailedOtherThanMissing("remove container " + containerId, response);
    }

    @Override
    public ContainerStatus containerStatus(String containerId) throws ProviderException {
        checkId("container", containerId);
        return LibpodResponses.containerStatus(inspectContainer(containerId));
    }

    private JsonNode inspectContainer(String containerId) throws ProviderException {
        return libpod.get("inspect container " + containerId, "/containers/" + containerId + "/json");
    }

    @Override
    public List<ContainerSummary> listContainers(ContainerFilter filter) throws ProviderException {
        JsonNode entries = libpod.get("list containers", "/containers/json" + LibpodFilters.containers(filter));
        List<ContainerSummary> containers = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (entry.path("IsInfra").asBoolean(false)) {
                continue;
            }
            ContainerSummary container = LibpodResponses.containerSummary(entry);
            if ((filter.id() == null || container.id().startsWith(filter.id()))
                    && (filter.sandboxId() == null || filter.sandboxId().equals(container.sandboxId()))
                    && (filter.state() == null || container.state() == filter.state())
                    && PodmanLabels.matches(filter.labels(), container.labels())) {
                containers.add(container);
            }
        }
        return containers;
    }

    /**
     * One container listing answers both: Podman lists a pod's infra container with the others, carrying the
     * pod's labels, and its state is the sandbox's (a pod listing costs Podman more than a container listing).
     * A sandbox found this way has its infra container's creation time (the pod's, a few milliseconds earlier,
     * is in {@link #listPodSandboxes}) and the pause image's labels among its own.
     */
    @Override
    public RuntimeListing listAll(Map<String, String> labels) throws ProviderException {
        ContainerFilter filter = ContainerFilter.withLabels(labels);
        JsonNode entries = libpod.get("list containers", "/containers/json" + LibpodFilters.containers(filter));
        List<PodSandboxSummary> sandboxes = new ArrayList<>();
        List<ContainerSummary> containers = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (entry.path("IsInfra").asBoolean(false)) {
                PodSandboxSummary sandbox = LibpodResponses.sandboxSummaryOfInfra(entry);
                if (sandbox != null && PodmanLabels.matches(labels, sandbox.labels())) {
                    sandboxes.add(sandbox);
                }
            } else {
                ContainerSummary container = LibpodResponses.containerSummary(entry);
                if (PodmanLabels.matches(labels, container.labels())) {
                    containers.add(container);
                }
            }
        }
        return new RuntimeListing(sandboxes, containers);
    }

    // ---- images

    @Override
    public String pullImage(ImageSpec image, Optional<RegistryCredentials> credentials) throws ProviderException {
        String reference = checkImage(image);
        String registry = RegistryAuthHeader.registryOf(reference);
        boolean verifyTls = !config.insecureRegistries().contains(registry);
        String path =
                "/images/pull?" + parameter("reference", reference) + "&tlsVerify=" + verifyTls + "&policy=always";
        Map<String, String> headers = credentials
                .map(given -> Map.of(RegistryAuthHeader.NAME, RegistryAuthHeader.encode(given, registry)))
                .orElse(Map.of());
        String action = "pull image " + reference;
        try (HttpExchange exchange =
                libpod.open(action, libpod.request("POST", path, null, headers, false), PULL_ANSWER_TIMEOUT)) {
            String id = PullResultReader.imageId(reference, exchange.body(), json);
            LOG.debug("pulled image {} as {}", reference, id);
            return id;
        }
    }

    @Override
    public Optional<ImageInfo> imageStatus(ImageSpec image) throws ProviderException {
        String reference = checkImage(image);
        LibpodResponse response = libpod.call("GET", "/images/" + reference + "/json", null, DEFAULT_TIMEOUT);
        if (response.succeeded()) {
            return Optional.of(LibpodResponses.image(libpod.parse("inspect image " + reference, response.body())));
        }
        ProviderException error =
                PodmanErrors.fromResponse("inspect image " + reference, response.status(), response.body());
        if (error.code() == ErrorCode.NOT_FOUND) {
            return Optional.empty();
        }
        throw error;
    }

    @Override
    public List<ImageInfo> listImages() throws ProviderException {
        List<ImageInfo> images = new ArrayList<>();
        for (JsonNode image : libpod.get("list images", "/images/json")) {
            images.add(LibpodResponses.image(image));
        }
        return images;
    }

    @Override
    public void removeImage(ImageSpec image) throws ProviderException {
        String reference = checkImage(image);
        LibpodResponse response = libpod.call("DELETE", "/images/" + reference, null, DEFAULT_TIMEOUT);
        succeedUnlessFailedOtherThanMissing("remove image " + reference, response);
    }

    // ---- streams

    @Override
    public Subscription logs(String containerId, LogOptions options, LogSink sink) throws ProviderException {
        checkId("container", containerId);
        JsonNode inspect = inspectContainer(containerId); // NOT_FOUND now rather than later through the subscription.
        Optional<Path> file = logFile(inspect);
        if (file.isPresent()) {
            boolean running = LibpodResponses.containerStatus(inspect).state() == ContainerState.RUNNING;
            // A container that is not running writes no more: its log is read to the end, without following.
            return track(LogFileSubscription.start(
                    file.get(),
                    running ? options : options.withFollow(false),
                    sink,
                    "read the logs of container " + containerId,
                    () -> isRunning(containerId),
                    streamThreads));
        }
        StringBuilder path = new StringBuilder("/containers/" + containerId + "/logs?");
        path.append("stdout=").append(options.stdout());
        path.append("&stderr=").append(options.stderr());
        path.append("&follow=").append(options.follow());
        path.append("&timestamps=").append(options.timestamps());
        path.append("&tail=").append(options.tailLines() == null ? -1 : options.tailLines());
        if (options.since() != null) {
            path.append('&').append(parameter("since", options.since().toString()));
        }
        // Podman sends the response headers only with the first line: do not wait for them here.
        HttpExchange exchange = libpod.send(libpod.request("GET", path.toString(), null, Map.of(), false));
        long limit = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
        return track(ExchangeSubscription.start(
                libpod,
                exchange,
                "read the logs of container " + containerId,
                false,
                streamThreads,
                (body, closed) -> LogDelivery.deliver(body, options.timestamps(), limit, sink, closed)));
    }

    /** The container's log file when Podman writes it in the CRI format ({@code k8s-file}) and it is readable. */
    private static Optional<Path> logFile(JsonNode inspect) {
        JsonNode logConfig = inspect.path("HostConfig").path("LogConfig");
        String path = logConfig.path("Path").asText("");
        if (!"k8s-file".equals(logConfig.path("Type").asText("")) || path.isEmpty()) {
            return Optional.empty();
        }
        Path file = Path.of(path);
        return Files.isReadable(file) ? Optional.of(file) : Optional.empty();
    }

    private boolean isRunning(String containerId) throws ProviderException {
        try {
            return LibpodResponses.containerStatus(inspectContainer(containerId))
                            .state()
                    == ContainerState.RUNNING;
        } catch (ProviderException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public StreamSession exec(String containerId, ExecRequest request, OutputSink sink) throws ProviderException {
        checkId("container", containerId);
        String action = "exec in container " + containerId;
        JsonNode created = libpod.request(
                action,
                "POST",
                "/containers/" + containerId + "/exec",
                LibpodRequests.execCreate(request, json),
                DEFAULT_TIMEOUT);
        String execId = created.path("Id").asText();
        HijackedStream exchange = libpod.hijack(
                action,
                libpod.request(
                        "POST", "/exec/" + execId + "/start", LibpodRequests.execStart(request, json), Map.of(), true),
                DEFAULT_TIMEOUT);
        return track(PodmanStreamSession.start(
                exchange,
                action,
                request.tty(),
                request.stdin(),
                sink,
                () -> execExitCode(execId),
                size -> resize("/exec/" + execId + "/resize", size.width(), size.height()),
                streamThreads));
    }

    private int execExitCode(String execId) throws ProviderException {
        Instant deadline = Instant.now().plus(EXEC_EXIT_WAIT);
        long pauseMillis = 5;
        while (true) {
            JsonNode session = libpod.get("inspect exec session " + execId, "/exec/" + execId + "/json");
            if (!session.path("Running").asBoolean(false)) {
                return session.path("ExitCode").asInt();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ProviderException(
                        ErrorCode.UNAVAILABLE,
                        "exec session " + execId + " ended its output but still runs after "
                                + EXEC_EXIT_WAIT.toSeconds() + "s");
            }
            pause(pauseMillis);
            pauseMillis = Math.min(100, pauseMillis * 2);
        }
    }

    @Override
    public StreamSession attach(String containerId, AttachRequest request, OutputSink sink) throws ProviderException {
        checkId("container", containerId);
        JsonNode inspect = inspectContainer(containerId);
        if (LibpodResponses.containerStatus(inspect).state() != ContainerState.RUNNING) {
            throw new ProviderException(
                    ErrorCode.INVALID, "cannot attach to container " + containerId + ": it is not running");
        }
        boolean tty = inspect.path("Config").path("Tty").asBoolean(false);
        String action = "attach to container " + containerId;
        PodmanStreamSession.ExitCodeSource exitCode = () -> libpod.request(
                        "wait for container " + containerId,
                        "POST",
                        "/containers/" + containerId + "/wait",
                        null,
                        ATTACH_EXIT_WAIT)
                .asInt();
        PodmanStreamSession.Resizer resizer =
                size -> resize("/containers/" + containerId + "/resize", size.width(), size.height());
        if (inspect.path("Config").path("OpenStdin").asBoolean(false)
                && !"true"
                        .equals(inspect.path("Config")
                                .path("Labels")
                                .path(PodmanLabels.STDIN_ONCE)
                                .asText())) {
            return sharedAttach(containerId, tty, action, exitCode).join(request, sink, resizer);
        }
        String path = "/containers/" + containerId + "/attach?stream=true&logs=false&stdin=" + request.stdin()
                + "&stdout=" + request.stdout() + "&stderr=" + request.stderr();
        HijackedStream exchange =
                libpod.hijack(action, libpod.request("POST", path, null, Map.of(), true), DEFAULT_TIMEOUT);
        return track(PodmanStreamSession.start(
                exchange, action, tty, request.stdin(), sink, exitCode, resizer, streamThreads));
    }

    /**
     * The container's one shared attach connection, opened by the first attach: its stdin must stay open
     * between attach sessions ({@link SharedAttach}).
     */
    private SharedAttach sharedAttach(
            String containerId, boolean tty, String action, PodmanStreamSession.ExitCodeSource exitCode)
            throws ProviderException {
        synchronized (sharedAttaches) {
            SharedAttach existing = sharedAttaches.get(containerId);
            if (existing != null && existing.isOpen()) {
                return existing;
            }
            String path =
                    "/containers/" + containerId + "/attach?stream=true&logs=false&stdin=true&stdout=true&stderr=true";
            HttpExchange exchange =
                    libpod.open(action, libpod.request("POST", path, null, Map.of(), true), DEFAULT_TIMEOUT);
            SharedAttach shared = SharedAttach.start(exchange, action, tty, exitCode, streamThreads);
            sharedAttaches.put(containerId, shared);
            openStreams.add(shared);
            shared.ended().whenComplete((ignored, failure) -> {
                sharedAttaches.remove(containerId, shared);
                openStreams.remove(shared);
            });
            return shared;
        }
    }

    private void resize(String path, int width, int height) throws ProviderException {
        LibpodResponse response = libpod.call("POST", path + "?h=" + height + "&w=" + width, null, DEFAULT_TIMEOUT);
        ProviderException error = response.succeeded()
                ? null
                : PodmanErrors.fromResponse("resize a terminal", response.status(), response.body());
        // A session that just ended cannot be resized any more: nothing to do.
        if (error != null && error.code() != ErrorCode.INVALID && error.code() != ErrorCode.NOT_FOUND) {
            throw error;
        }
    }

    /**
     * Connects from the host to the port at the pod's address (or on the loopback for host-network pods):
     * Podman has no port-forward API, and with its default netavark bridge network pod addresses are routable
     * from the host.
     */
    @Override
    public PortForwardStream portForward(String sandboxId, int port) throws ProviderException {
        PodSandboxStatus sandbox = podSandboxStatus(sandboxId);
        if (sandbox.state() != PodSandboxState.READY) {
            throw new ProviderException(
                    ErrorCode.INVALID, "cannot forward to pod sandbox " + sandboxId + ": it is not ready");
        }
        String host = sandbox.hostNetwork()
                ? "127.0.0.1"
                : sandbox.ipAddresses().stream()
                        .filter(address -> !address.contains(":"))
                        .findFirst()
                        .or(() -> sandbox.ipAddresses().stream().findFirst())
                        .orElseThrow(() -> new ProviderException(
                                ErrorCode.INVALID, "pod sandbox " + sandboxId + " has no IP address to forward to"));
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) PORT_FORWARD_CONNECT_TIMEOUT.toMillis());
            return new SocketPortForwardStream(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE,
                    "cannot connect to port " + port + " of pod " + sandbox.namespace() + "/" + sandbox.name() + " at "
                            + host + ": " + e.getMessage(),
                    e);
        }
    }

    // ---- observation

    @Override
    public List<ContainerStats> stats(ContainerFilter filter) throws ProviderException {
        Map<String, ContainerSummary> running = new HashMap<>();
        for (ContainerSummary container : listContainers(filter)) {
            if (container.state() == ContainerState.RUNNING) {
                running.put(container.id(), container);
            }
        }
        if (running.isEmpty()) {
            return List.of();
        }
        StringBuilder path = new StringBuilder("/containers/stats?stream=false");
        running.keySet().forEach(id -> path.append("&containers=").append(id));
        LibpodResponse response = libpod.call("GET", path.toString(), null, DEFAULT_TIMEOUT);
        if (!response.succeeded()) {
            ProviderException error =
                    PodmanErrors.fromResponse("read container stats", response.status(), response.body());
            // A container stopped between listing and asking: try again without it next time.
            if (error.code() == ErrorCode.NOT_FOUND || error.code() == ErrorCode.INVALID) {
                return List.of();
            }
            throw error;
        }
        Instant now = clock.instant();
        List<ContainerStats> stats = new ArrayList<>();
        cgroupPaths.keySet().retainAll(running.keySet());
        for (JsonNode entry :
                libpod.parse("read container stats", response.body()).path("Stats")) {
            ContainerSummary container = running.get(entry.path("ContainerID").asText(""));
            if (container != null) {
                OptionalLong inactiveFile = cgroups.inactiveFileBytes(cgroupPath(container.id()));
                stats.add(LibpodResponses.stats(entry, container, inactiveFile, now));
            }
        }
        return stats;
    }

    /** A running container's cgroup, from its inspect once (it does not change while it runs); empty if gone. */
    private String cgroupPath(String containerId) {
        return cgroupPaths.computeIfAbsent(containerId, id -> {
            try {
                return inspectContainer(id).path("State").path("CgroupPath").asText("");
            } catch (ProviderException e) {
                return "";
            }
        });
    }

    @Override
    public Subscription events(Consumer<RuntimeEvent> listener) throws ProviderException {
        return events(listener, true);
    }

    /** Without the inspection Podman 4.3's "died" events need for their pod id and OOM kills. */
    @Override
    public Subscription eventHints(Consumer<RuntimeEvent> listener) throws ProviderException {
        return events(listener, false);
    }

    private Subscription events(Consumer<RuntimeEvent> listener, boolean complete) throws ProviderException {
        // Podman reads its event file from "since" on, so nothing between subscribing and Podman starting to
        // read is missed. Podman's clock is the wall clock, whatever clock the core gave us.
        String path = "/events" + LibpodFilters.events() + "&"
                + parameter("since", Instant.now().toString());
        HttpExchange exchange = libpod.send(libpod.request("GET", path, null, Map.of(), false));
        return track(ExchangeSubscription.start(
                libpod, exchange, "read Podman's events", true, streamThreads, (body, closed) -> {
                    try (MappingIterator<JsonNode> events =
                            json.readerFor(JsonNode.class).readValues(body)) {
                        while (!closed.getAsBoolean() && events.hasNextValue()) {
                            Optional<RuntimeEvent> event = LibpodResponses.event(events.nextValue());
                            if (event.isPresent()) {
                                for (RuntimeEvent delivered : complete ? enriched(event.get()) : List.of(event.get())) {
                                    if (!closed.getAsBoolean()) {
                                        notify(listener, delivered);
                                    }
                                }
                            }
                        }
                    }
                }));
    }

    private List<RuntimeEvent> enriched(RuntimeEvent event) {
        if (!LibpodResponses.needsInspection(event)) {
            return List.of(event);
        }
        LibpodResponse response;
        try {
            response = libpod.call("GET", "/containers/" + event.containerId() + "/json", null, DEFAULT_TIMEOUT);
        } catch (ProviderException e) {
            return List.of(event);
        }
        if (!response.succeeded()) {
            return List.of(event); // Removed already: deliver what the event says.
        }
        try {
            return LibpodResponses.enriched(
                    event, libpod.parse("inspect container " + event.containerId(), response.body()));
        } catch (ProviderException e) {
            return List.of(event);
        }
    }

    private static void notify(Consumer<RuntimeEvent> listener, RuntimeEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("runtime event listener failed on {}; keeping it subscribed", event, e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable stream : List.copyOf(openStreams)) {
            closeQuietly(stream);
        }
        libpod.close();
    }

    // ---- helpers

    private Subscription track(ExchangeSubscription subscription) {
        openStreams.add(subscription);
        subscription.completion().whenComplete((ignored, failure) -> openStreams.remove(subscription));
        return subscription;
    }

    private Subscription track(LogFileSubscription subscription) {
        openStreams.add(subscription);
        subscription.completion().whenComplete((ignored, failure) -> openStreams.remove(subscription));
        return subscription;
    }

    private StreamSession track(PodmanStreamSession session) {
        openStreams.add(session);
        session.exitCode().whenComplete((ignored, failure) -> openStreams.remove(session));
        return session;
    }

    /** Idempotent operations: done, already done (304) and already gone all count as success. */
    private static void succeedUnlessFailedOtherThanMissing(String action, LibpodResponse response)
            throws ProviderException {
        if (response.succeeded()) {
            return;
        }
        ProviderException error = PodmanErrors.fromResponse(action, response.status(), response.body());
        if (error.code() != ErrorCode.NOT_FOUND) {
            throw error;
        }
    }

    private static void checkId(String kind, String id) throws ProviderException {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ProviderException(ErrorCode.INVALID, "'" + id + "' is not a valid " + kind + " id");
        }
    }

    private static String checkImage(ImageSpec image) throws ProviderException {
        String reference = image.reference().trim();
        if (!IMAGE_REFERENCE.matcher(reference).matches()) {
            throw new ProviderException(ErrorCode.INVALID, "'" + reference + "' is not a valid image reference");
        }
        return reference;
    }

    private static void pause(long millis) throws ProviderException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ErrorCode.UNAVAILABLE, "interrupted while waiting for Podman");
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed", closeable, e);
        }
    }
}

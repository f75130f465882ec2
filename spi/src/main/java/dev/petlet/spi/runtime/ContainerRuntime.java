package dev.petlet.spi.runtime;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs pod sandboxes and containers on this machine: the CRI-shaped contract between petlet's core and a
 * container runtime provider.
 *
 * <p><b>Threading.</b> Implementations are thread-safe. The core calls every method from its worker threads,
 * concurrently for different pods (and possibly for the same object), and methods may block on I/O. Callbacks
 * ({@link LogSink}, {@link OutputSink}, event listeners) run on provider-owned threads, never on the caller's.
 *
 * <p><b>Idempotency.</b> Operations that bring something into a state it is already in succeed: stopping a
 * stopped container or sandbox, starting a running container, removing what is already gone. Operations
 * on a missing object otherwise fail with {@link ErrorCode#NOT_FOUND}.
 *
 * <p><b>Errors.</b> Every method throws {@link ProviderException}: {@link ErrorCode#UNAVAILABLE} when the
 * runtime cannot be reached (the core retries), {@link ErrorCode#NOT_FOUND} / {@link
 * ErrorCode#ALREADY_EXISTS} / {@link ErrorCode#INVALID} as documented per method, {@link ErrorCode#INTERNAL}
 * for anything unexpected.
 *
 * <p><b>Ownership.</b> Sessions, streams and subscriptions returned here belong to the caller, who must close
 * them. {@link #close()} releases the provider's own resources (connections, threads) and ends every session
 * and subscription still open; it leaves containers running.
 *
 * <p><b>State.</b> The runtime is the source of truth: after an agent restart the core rebuilds everything it
 * knows from {@link #listAll} (by default {@link #listPodSandboxes} and {@link #listContainers}) through {@link
 * RuntimeLabels}, so a provider keeps no state that the runtime does not also hold.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Names and versions of the runtime; doubles as a readiness check. */
    RuntimeVersion version() throws ProviderException;

    // ---- pod sandboxes

    /**
     * Creates and starts a pod sandbox: the namespaces (network, IPC, UTS) the pod's containers share, with
     * its own IP address unless {@link PodSandboxConfig#hostNetwork()}. Returns when the sandbox is {@link
     * PodSandboxState#READY}; if starting fails, the half-made sandbox is removed before throwing.
     *
     * @return the sandbox id
     * @throws ProviderException {@link ErrorCode#ALREADY_EXISTS} if a sandbox for the same pod UID and attempt
     *     exists; {@link ErrorCode#INVALID} for a configuration the runtime rejects (such as a host port in
     *     use)
     */
    String runPodSandbox(PodSandboxConfig config) throws ProviderException;

    /**
     * Stops a sandbox, killing any container still running in it at once (the core stops containers
     * gracefully before). Succeeds if it is stopped or does not exist.
     */
    void stopPodSandbox(String sandboxId) throws ProviderException;

    /**
     * Removes a sandbox and all its containers, forcibly. Succeeds if it does not exist.
     */
    void removePodSandbox(String sandboxId) throws ProviderException;

    /**
     * The current state of a sandbox.
     *
     * @throws ProviderException {@link ErrorCode#NOT_FOUND} if it does not exist
     */
    PodSandboxStatus podSandboxStatus(String sandboxId) throws ProviderException;

    /** The sandboxes matching the filter, in no particular order. */
    List<PodSandboxSummary> listPodSandboxes(PodSandboxFilter filter) throws ProviderException;

    // ---- containers

    /**
     * Creates a container in a sandbox, without starting it.
     *
     * @param sandboxId the sandbox, which must be ready
     * @param config the container
     * @param sandboxConfig the configuration the sandbox was created with, for metadata and naming
     * @return the container id
     * @throws ProviderException {@link ErrorCode#NOT_FOUND} if the sandbox or the image does not exist;
     *     {@link ErrorCode#ALREADY_EXISTS} if a container with the same name and attempt exists in the
     *     sandbox; {@link ErrorCode#INVALID} for a configuration the runtime rejects
     */
    String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig)
            throws ProviderException;

    /**
     * Starts a created container and returns once its process runs. Succeeds if it is running already.
     *
     * @throws ProviderException {@link ErrorCode#NOT_FOUND} if it does not exist; {@link ErrorCode#INVALID}
     *     if its process cannot be started (missing executable, bad mount), with the reason in the message.
     *     Depending on the runtime the container is then left {@link ContainerState#CREATED} or reported
     *     {@link ContainerState#EXITED} with reason {@link ContainerStatus#REASON_START_ERROR}; either way the
     *     core records the failure from this exception and removes the container
     */
    void startContainer(String containerId) throws ProviderException;

    /**
     * Stops a container: SIGTERM (or the image's stop signal), then SIGKILL once {@code timeout} has passed.
     * Blocks until it has exited. Succeeds if it is not running.
     *
     * @param timeout the grace period; zero kills at once
     * @throws ProviderException {@link ErrorCode#NOT_FOUND} if it does not exist
     */
    void stopContainer(String containerId, Duration timeout) throws ProviderException;

    /** Removes a container, killing it first if it runs. Succeeds if it does not exist. */
    void removeContainer(String containerId) throws ProviderException;

    /**
     * The current state of a container.
     *
     * @throws ProviderException {@link ErrorCode#NOT_FOUND} if it does not exist
     */
    ContainerStatus containerStatus(String containerId) throws ProviderException;

    /** The containers matching the filter, in no particular order; sandbox holder processes are not listed. */
    List<ContainerSummary> listContainers(ContainerFilter filter) throws ProviderException;

    // ---- images

    /**
     * Pulls an image, blocking until it is stored locally (pulling again what is present is allowed and may
     * update a tag).
     *
     * @param credentials for the image's registry, if the pod has pull secrets for it
     * @return the image id
     * @throws ProviderException {@link ErrorCode#NOT_FOUND} if the registry has no such image; {@link
     *     ErrorCode#UNAUTHENTICATED} if the registry wants (other) credentials; {@link ErrorCode#UNAVAILABLE}
     *     if the registry cannot be reached; {@link ErrorCode#INVALID} for a malformed reference
     */
    String pullImage(ImageSpec image, Optional<RegistryCredentials> credentials) throws ProviderException;

    /** The locally stored image a reference resolves to, or empty if there is none. */
    Optional<ImageInfo> imageStatus(ImageSpec image) throws ProviderException;

    /** All locally stored images. */
    List<ImageInfo> listImages() throws ProviderException;

    /**
     * Removes a locally stored image. Succeeds if it is not there.
     *
     * @throws ProviderException {@link ErrorCode#INVALID} if a container still uses it
     */
    void removeImage(ImageSpec image) throws ProviderException;

    // ---- streams

    /**
     * Delivers a container's log to a sink, on a provider thread, and returns at once. Without {@link
     * LogOptions#follow()} the subscription completes at the current end of the log; with it, when the
     * container stops or the subscription is closed.
     *
     * @throws ProviderException {@link ErrorCode#NOT_FOUND} if the container does not exist (checked before
     *     returning)
     */
    Subscription logs(String containerId, LogOptions options, LogSink sink) throws ProviderException;

    /**
     * Runs a command in a running container and returns once it has started; output goes to the sink.
     *
     * @throws ProviderException {@link ErrorCode#NOT_FOUND} if the container does not exist; {@link
     *     ErrorCode#INVALID} if it is not running
     */
    StreamSession exec(String containerId, ExecRequest request, OutputSink sink) throws ProviderException;

    /**
     * Connects to the main process of a running container; output goes to the sink. Output written before
     * attaching is not replayed (use {@link #logs}).
     *
     * @throws ProviderException {@link ErrorCode#NOT_FOUND} if the container does not exist; {@link
     *     ErrorCode#INVALID} if it is not running
     */
    StreamSession attach(String containerId, AttachRequest request, OutputSink sink) throws ProviderException;

    /**
     * Opens a connection to a TCP port inside a sandbox's network namespace.
     *
     * @throws ProviderException {@link ErrorCode#NOT_FOUND} if the sandbox does not exist; {@link
     *     ErrorCode#INVALID} if it is not ready; {@link ErrorCode#UNAVAILABLE} if nothing accepts connections
     *     on that port
     */
    PortForwardStream portForward(String sandboxId, int port) throws ProviderException;

    // ---- observation

    /** Current resource usage of the running containers matching the filter. */
    List<ContainerStats> stats(ContainerFilter filter) throws ProviderException;

    /**
     * Starts delivering runtime events to a listener, one at a time and in order, on a provider thread; the
     * listener must not block for long. Only events after subscribing are delivered. If the event stream
     * breaks, the subscription completes exceptionally with {@link ErrorCode#UNAVAILABLE} and the core
     * subscribes again. A listener that throws is logged and kept.
     */
    Subscription events(Consumer<RuntimeEvent> listener) throws ProviderException;

    /**
     * {@link #events} for a listener that takes events only as hints to look again (the core relists and
     * inspects what changed): the runtime may leave out what costs it extra work per event. So {@link
     * RuntimeEvent#sandboxId()} may be {@code null} where {@link #events} would know it, and {@link
     * RuntimeEvent.Type#CONTAINER_OOM} may be missing (the death is still delivered, and the container's status
     * says {@link ContainerStatus#REASON_OOM_KILLED}). The same contract otherwise. By default, {@link #events}.
     *
     * @since SPI 1, added after the baseline; providers built before it deliver complete events here
     */
    default Subscription eventHints(Consumer<RuntimeEvent> listener) throws ProviderException {
        return events(listener);
    }

    /**
     * The sandboxes and the containers that carry all of the labels, as {@link #listPodSandboxes} and {@link
     * #listContainers} with those labels would list them: what the core reads every second or so to notice
     * what changed. A runtime that can answer both from one read should: listing is the most expensive read
     * of some runtimes (Podman walks every container for it, and lists a sandbox's holder process among
     * them). Neither list is older than the call. By default, sandboxes are listed, then containers.
     *
     * @since SPI 1, added after the baseline
     */
    default RuntimeListing listAll(Map<String, String> labels) throws ProviderException {
        return new RuntimeListing(
                listPodSandboxes(PodSandboxFilter.withLabels(labels)),
                listContainers(ContainerFilter.withLabels(labels)));
    }

    /** Releases the provider's connections and threads and ends open sessions; containers keep running. */
    @Override
    void close();
}

package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.stream.StreamTarget;
import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeLabels;
import dev.petlet.spi.runtime.RuntimeListing;
import dev.petlet.spi.runtime.Subscription;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the kubelet API's routes do, shared by all connections. Every method here may block on the runtime or
 * the API server and runs on the blocking executor, never on an event loop.
 */
final class KubeletApi {
    private static final Logger log = LoggerFactory.getLogger(KubeletApi.class);
    private final KubeletServerSettings settings;
    private final RequestGate gate;
    private final Supplier<? extends Collection<Pod>> desiredPods;
    private final ContainerRuntime runtime;
    private final Map<String, String> ownLabels;
    private final StreamHandoff streams;
    private final Executor blocking;
    private final Clock clock;
    private final UsageCollector usage;
    private final KubernetesSerialization json = new KubernetesSerialization();

    /**
     * @param settings the settings, with the port actually bound
     * @param ownLabels the labels that mark this agent's sandboxes and containers in the runtime
     * @param nodeUsage reads the node's own usage for the stats and metrics routes
     */
    KubeletApi(
            KubeletServerSettings settings,
            RequestGate gate,
            Supplier<? extends Collection<Pod>> desiredPods,
            ContainerRuntime runtime,
            Map<String, String> ownLabels,
            StreamHandoff streams,
            Executor blocking,
            NodeUsageReader nodeUsage,
            Clock clock) {
        this.settings = requireNonNull(settings, "settings");
        this.gate = requireNonNull(gate, "gate");
        this.desiredPods = requireNonNull(desiredPods, "desiredPods");
        this.runtime = requireNonNull(runtime, "runtime");
        this.ownLabels = Map.copyOf(ownLabels);
        this.streams = requireNonNull(streams, "streams");
        this.blocking = requireNonNull(blocking, "blocking");
        this.clock = requireNonNull(clock, "clock");
        this.usage = new UsageCollector(settings.nodeName(), runtime, ownLabels, desiredPods, nodeUsage, clock);
    }

    KubeletServerSettings settings() {
        return settings;
    }

    RequestGate gate() {
        return gate;
    }

    StreamHandoff streams() {
        return streams;
    }

    Executor blocking() {
        return blocking;
    }

    Clock clock() {
        return clock;
    }

    byte[] pods() {
        List<Pod> pods = desiredPods.get().stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList();
        return bytes(new PodListBuilder()
                .withNewMetadata()
                .endMetadata()
                .withItems(pods)
                .build());
    }

    byte[] runningPods() throws ProviderException {
        RuntimeListing listing = runtime.listAll(ownLabels);
        return bytes(RunningPods.of(listing.sandboxes(), listing.containers()));
    }

    /** The Summary API; without the node's file system when {@code onlyCpuAndMemory}. */
    byte[] statsSummary(boolean onlyCpuAndMemory) throws ProviderException, IOException {
        return StatsSummaryJson.of(usage.sample(!onlyCpuAndMemory));
    }

    /** The resource metrics; a sample that fails is a scrape error, as the kubelet reports it, not an HTTP error. */
    String resourceMetrics() {
        try {
            return ResourceMetricsText.of(usage.sample(false));
        } catch (ProviderException | IOException | RuntimeException e) {
            log.warn("cannot sample resource usage for /metrics/resource: {}", e.toString());
            return ResourceMetricsText.of(null);
        }
    }

    byte[] configz() {
        return bytes(Configz.of(settings));
    }

    /** Finds the container a log request means and subscribes the response to its log. */
    Subscription logs(KubeletRoute.ContainerLogs route, PodLogQuery query, ContainerLogResponse response)
            throws RequestError, ProviderException {
        Pod pod = PodContainers.pod(desiredPods.get(), route.namespace(), route.pod());
        PodContainers.requireInSpec(pod, route.container());
        String containerId =
                PodContainers.forLogs(pod, route.container(), instances(pod, route.container()), query.previous());
        try {
            return runtime.logs(containerId, query.options(), response);
        } catch (ProviderException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                throw RequestError.notFound(
                        "container \"" + route.container() + "\" in pod \"" + route.pod() + "\" is not available");
            }
            throw e;
        }
    }

    /** What an exec, attach or port-forward request connects to. */
    StreamTarget streamTarget(KubeletRoute.Stream route) throws RequestError, ProviderException {
        Pod pod = PodContainers.pod(desiredPods.get(), route.namespace(), route.pod());
        PodContainers.requireUid(pod, route.uid());
        if (route.kind() == KubeletRoute.StreamKind.PORT_FORWARD) {
            PodSandboxStatus sandbox = readySandbox(pod);
            return new StreamTarget(
                    StreamTarget.Kind.PORT_FORWARD,
                    null,
                    sandbox.id(),
                    sandbox.ipAddresses(),
                    runtime,
                    settings.streamIdleTimeout());
        }
        PodContainers.requireInSpec(pod, route.container());
        String containerId = PodContainers.running(pod, route.container(), instances(pod, route.container()));
        List<String> podIps = runtime.listPodSandboxes(PodSandboxFilter.withLabels(byPod(pod))).stream()
                .filter(s -> s.state() == PodSandboxState.READY)
                .findFirst()
                .map(s -> podIps(s))
                .orElse(List.of());
        return new StreamTarget(
                route.kind() == KubeletRoute.StreamKind.EXEC ? StreamTarget.Kind.EXEC : StreamTarget.Kind.ATTACH,
                containerId,
                null,
                podIps,
                runtime,
                settings.streamIdleTimeout());
    }

    private List<String> podIps(PodSandboxSummary sandbox) {
        try {
            return runtime.podSandboxStatus(sandbox.id()).ipAddresses();
        } catch (ProviderException e) {
            return List.of();
        }
    }

    private PodSandboxStatus readySandbox(Pod pod) throws ProviderException, RequestError {
        PodSandboxSummary sandbox = runtime.listPodSandboxes(PodSandboxFilter.withLabels(byPod(pod))).stream()
                .filter(s -> s.state() == PodSandboxState.READY)
                .max(Comparator.comparingInt(PodSandboxSummary::attempt))
                .orElseThrow(() -> RequestError.notFound(
                        "pod \"" + pod.getMetadata().getName() + "\" has no running sandbox in namespace \""
                                + pod.getMetadata().getNamespace() + "\""));
        return runtime.podSandboxStatus(sandbox.id());
    }

    private List<ContainerSummary> instances(Pod pod, String container) throws ProviderException {
        Map<String, String> labels = new HashMap<>(byPod(pod));
        labels.put(RuntimeLabels.CONTAINER_NAME, container);
        return runtime.listContainers(ContainerFilter.withLabels(labels));
    }

    private Map<String, String> byPod(Pod pod) {
        Map<String, String> labels = new HashMap<>(ownLabels);
        labels.put(RuntimeLabels.POD_UID, pod.getMetadata().getUid());
        return labels;
    }

    private byte[] bytes(Object value) {
        return json.asJson(value).getBytes(StandardCharsets.UTF_8);
    }
}

package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.FileTrees;
import dev.petlet.core.env.ApiObjectSource;
import dev.petlet.core.env.EnvironmentResolver;
import dev.petlet.core.hook.LifecycleHooks;
import dev.petlet.core.probe.ProbeManager;
import dev.petlet.core.volume.ApiTokenSource;
import dev.petlet.core.volume.PodVolumes;
import dev.petlet.core.volume.VolumeDrivers;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeEvent;
import dev.petlet.spi.runtime.RuntimeLabels;
import dev.petlet.spi.runtime.Subscription;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pods bound to this node: watches them (field selector {@code spec.nodeName}), hands
 * every change and every runtime event to the pod's worker, resyncs all pods every 10 s, and
 * removes what the runtime holds for pods that no longer exist (deleted while petlet was down,
 * or finished deleting).
 */
public final class PodController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PodController.class);
    private static final Duration RESYNC = Duration.ofSeconds(10);
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(2);
    private static final Duration EVENT_RETRY_MIN = Duration.ofMillis(500);
    private static final Set<RuntimeEvent.Type> NEEDS_PASS = Set.of(
            RuntimeEvent.Type.CONTAINER_DIED, RuntimeEvent.Type.CONTAINER_OOM, RuntimeEvent.Type.SANDBOX_STOPPED);
    private static final Duration EVENT_RETRY_MAX = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final String nodeName;
    private final PodDirectories directories;
    private final Set<String> cleaning = ConcurrentHashMap.newKeySet();
    private final RestartBackoff backoff = new RestartBackoff();
    private final ImagePuller images;
    private final TerminationMessages terminationMessages;
    private final PodWorkers workers;
    private final AgentLabel agent;
    private final PodVolumes volumes;
    private final ProbeManager probes;
    private final SandboxAddresses addresses = new SandboxAddresses();
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "petlet-pod-resync");
        thread.setDaemon(true);
        return thread;
    });
    private SharedIndexInformer<Pod> informer;
    private volatile Subscription runtimeEvents;
    private volatile Duration eventRetry = EVENT_RETRY_MIN;
    private volatile boolean closed;

    /**
     * @param runtimeName the scheme of container IDs in pod status, e.g. {@code podman}
     * @param nodeIp the node's address, reported as each pod's hostIP
     * @param stateDirectory petlet's state directory; pod files go under {@code pods/}
     */
    public PodController(
            KubernetesClient client,
            ContainerRuntime runtime,
            String runtimeName,
            String nodeName,
            String nodeIp,
            Path stateDirectory,
            PodEvents events,
            Clock clock) {
        this(client, runtime, runtimeName, nodeName, nodeIp, stateDirectory, PodNetworkSettings.DEFAULT, events, clock);
    }

    /** @param network what pods' resolv.conf and hosts files are made from */
    public PodController(
            KubernetesClient client,
            ContainerRuntime runtime,
            String runtimeName,
            String nodeName,
            String nodeIp,
            Path stateDirectory,
            PodNetworkSettings network,
            PodEvents events,
            Clock clock) {
        this(
                client,
                runtime,
                runtimeName,
                nodeName,
                nodeIp,
                stateDirectory,
                network,
                VolumeDrivers.NONE,
                events,
                clock);
    }

    /** @param volumeDrivers what mounts volumes of driver kinds ({@code nfs}); not closed here */
    public PodController(
            KubernetesClient client,
            ContainerRuntime runtime,
            String runtimeName,
            String nodeName,
            String nodeIp,
            Path stateDirectory,
            PodNetworkSettings network,
            VolumeDrivers volumeDrivers,
            PodEvents events,
            Clock clock) {
        this.client = requireNonNull(client, "client");
        this.runtime = requireNonNull(runtime, "runtime");
        this.nodeName = requireNonNull(nodeName, "nodeName");
        this.directories = new PodDirectories(stateDirectory.resolve("pods"));
        try {
            this.agent = AgentLabel.loadOrCreate(stateDirectory);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the agent's id in " + stateDirectory, e);
        }
        ApiObjects api = (namespace, name) -> Optional.ofNullable(
                client.secrets().inNamespace(namespace).withName(name).get());
        this.images = new ImagePuller(runtime, api, events, clock);
        this.terminationMessages = new TerminationMessages(runtime, directories);
        PodActionPlanner planner = new PodActionPlanner(backoff);
        this.probes = new ProbeManager(
                runtime,
                (pod, container, message) ->
                        events.warning(pod, ContainerHooks.path(pod, container.getName()), "Unhealthy", message),
                this::syncPod,
                clock);
        ContainerHooks hooks = new ContainerHooks(runtime, new LifecycleHooks(probes.runner()), events, clock);
        PodFactsSource facts = new PodFactsSource(
                runtime,
                client,
                nodeName,
                nodeIp,
                Map.of(AgentLabel.KEY, agent.value()),
                ApiServerAddresses.forPods(client, nodeIp),
                clock,
                addresses);
        this.volumes = new PodVolumes(
                directories.root(), new ApiObjectSource(client), new ApiTokenSource(client), volumeDrivers, clock);
        ContainerConfigFactory configs = new ContainerConfigFactory(
                directories, new EnvironmentResolver(new ApiObjectSource(client)), facts, events);
        PodSyncer syncer = new PodSyncer(
                runtime,
                images,
                configs,
                directories,
                backoff,
                events,
                agent,
                new PodSandboxFiles(directories, network),
                volumes,
                facts,
                hooks,
                addresses);
        PodStatusComputer statuses = new PodStatusComputer(runtimeName);
        PodStatusWriter writer = new ApiPodStatusWriter(client);
        this.workers = new PodWorkers(
                uid -> Optional.ofNullable(pods.get(uid)),
                () -> new PodWorker(
                        planner, syncer, statuses, terminationMessages, writer, nodeIp, events, clock, probes),
                clock);
    }

    /** Starts watching; returns once the pods bound to the node were listed and handed to workers. */
    public void start() throws ProviderException {
        subscribeToRuntimeEvents();
        informer = client.pods()
                .inAnyNamespace()
                .withField("spec.nodeName", nodeName)
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(Pod pod) {
                                pods.put(pod.getMetadata().getUid(), pod);
                                workers.sync(pod.getMetadata().getUid());
                            }

                            @Override
                            public void onUpdate(Pod old, Pod pod) {
                                pods.put(pod.getMetadata().getUid(), pod);
                                // Our own status writes come back as updates: they need no pass.
                                if (!onlyStatusChanged(old, pod)) {
                                    workers.sync(pod.getMetadata().getUid());
                                }
                            }

                            @Override
                            public void onDelete(Pod pod, boolean finalStateUnknown) {
                                pods.remove(pod.getMetadata().getUid());
                                // In parallel: removing a hundred deleted pods one by one takes minutes.
                                Thread.ofVirtual()
                                        .name("petlet-cleanup")
                                        .start(() -> cleanUp(pod.getMetadata().getUid(), pods.keySet()));
                            }
                        },
                        0);
        resync.execute(this::cleanUpOrphans);
        resync.scheduleWithFixedDelay(this::resyncAll, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
        log.info("watching pods of node {}", nodeName);
    }

    /**
     * Stops and removes every sandbox and container of this agent's in the runtime, whatever the
     * API says: for a sandbox that must leave nothing behind once its node is drained.
     */
    public void removeAllFromRuntime() {
        cleanUpOrphans(Set.of());
    }

    /**
     * Follows the runtime's events; when the stream ends (the runtime restarted, say) subscribes
     * again with back-off and resyncs every pod, since events may have been missed meanwhile.
     */
    private void subscribeToRuntimeEvents() {
        if (closed) {
            return;
        }
        try {
            Subscription subscription = runtime.events(event -> {
                // Only what happens to a pod by itself needs a pass: containers created, started
                // or removed by petlet were observed by the pass that did it.
                String uid = event.labels().get(RuntimeLabels.POD_UID);
                if (uid != null && pods.containsKey(uid) && NEEDS_PASS.contains(event.type())) {
                    workers.sync(uid);
                }
            });
            runtimeEvents = subscription;
            if (eventRetry.toMillis() > EVENT_RETRY_MIN.toMillis()) {
                log.info("following the runtime's events again");
                pods.keySet().forEach(workers::sync);
            }
            eventRetry = EVENT_RETRY_MIN;
            subscription.completion().whenComplete((done, failure) -> {
                subscription.close();
                if (!closed) {
                    log.warn(
                            "the runtime's event stream ended{}; subscribing again",
                            failure == null ? "" : " (" + failure.getMessage() + ")");
                    resubscribeLater();
                }
            });
        } catch (ProviderException | RuntimeException e) {
            if (eventRetry.equals(EVENT_RETRY_MIN)) {
                log.warn("cannot follow the runtime's events, retrying with back-off: {}", e.getMessage());
            }
            resubscribeLater();
        }
    }

    private void resubscribeLater() {
        Duration delay = eventRetry;
        eventRetry = eventRetry.multipliedBy(2).compareTo(EVENT_RETRY_MAX) > 0
                ? EVENT_RETRY_MAX
                : eventRetry.multipliedBy(2);
        try {
            resync.schedule(this::subscribeToRuntimeEvents, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the controller is closing
        }
    }

    static boolean onlyStatusChanged(Pod old, Pod pod) {
        // A new phase still counts: a terminal one is what lets the next pass stop the sandbox.
        return java.util.Objects.equals(phase(old), phase(pod))
                && java.util.Objects.equals(old.getSpec(), pod.getSpec())
                && java.util.Objects.equals(
                        old.getMetadata().getDeletionTimestamp(),
                        pod.getMetadata().getDeletionTimestamp())
                && java.util.Objects.equals(
                        old.getMetadata().getDeletionGracePeriodSeconds(),
                        pod.getMetadata().getDeletionGracePeriodSeconds())
                && java.util.Objects.equals(
                        old.getMetadata().getLabels(), pod.getMetadata().getLabels())
                && java.util.Objects.equals(
                        old.getMetadata().getAnnotations(), pod.getMetadata().getAnnotations());
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    /** The labels that mark this agent's sandboxes and containers in the runtime. */
    public Map<String, String> runtimeLabels() {
        return Map.of(AgentLabel.KEY, agent.value());
    }

    /** The desired pods bound to this node, as last seen from the API. */
    public Collection<Pod> pods() {
        return List.copyOf(pods.values());
    }

    /** A pass over one pod, when one of its probe results changed. */
    private void syncPod(String uid) {
        if (pods.containsKey(uid)) {
            workers.sync(uid);
        }
    }

    private void resyncAll() {
        pods.keySet().forEach(workers::sync);
        cleanUpOrphans();
    }

    /** Removes runtime objects of pods the API no longer has. */
    private void cleanUpOrphans() {
        cleanUpOrphans(pods.keySet());
    }

    private void cleanUpOrphans(Set<String> keep) {
        try {
            Set<String> uids = new HashSet<>();
            Map<String, String> mine = Map.of(AgentLabel.KEY, agent.value());
            runtime.listPodSandboxes(PodSandboxFilter.withLabels(mine)).stream()
                    .map(PodSandboxSummary::labels)
                    .map(labels -> labels.get(RuntimeLabels.POD_UID))
                    .filter(uid -> uid != null)
                    .forEach(uids::add);
            runtime.listContainers(ContainerFilter.withLabels(mine)).stream()
                    .map(ContainerSummary::labels)
                    .map(labels -> labels.get(RuntimeLabels.POD_UID))
                    .filter(uid -> uid != null)
                    .forEach(uids::add);
            // Pod directories without runtime objects: left by a clean-up that failed half-way, or by an agent
            // that stopped between removing a pod from the runtime and deleting its files.
            if (Files.isDirectory(directories.root())) {
                try (Stream<Path> listing = Files.list(directories.root())) {
                    listing.filter(Files::isDirectory)
                            .map(path -> path.getFileName().toString())
                            .forEach(uids::add);
                }
            }
            uids.removeAll(keep);
            uids.forEach(uid -> cleanUp(uid, keep));
        } catch (ProviderException | IOException | RuntimeException e) {
            log.warn("cannot list the runtime's pods to remove leftovers: {}", e.getMessage());
        }
    }

    private void cleanUp(String uid, Set<String> keep) {
        // The delete event and the periodic orphan scan may both get here for one pod: one at a time.
        if (keep.contains(uid) || !cleaning.add(uid)) {
            return;
        }
        try {
            Map<String, String> byPod = Map.of(RuntimeLabels.POD_UID, uid, AgentLabel.KEY, agent.value());
            for (ContainerSummary container : runtime.listContainers(ContainerFilter.withLabels(byPod))) {
                if (container.state() != ContainerState.EXITED) {
                    runtime.stopContainer(container.id(), ORPHAN_GRACE);
                }
                runtime.removeContainer(container.id());
            }
            for (PodSandboxSummary sandbox : runtime.listPodSandboxes(PodSandboxFilter.withLabels(byPod))) {
                log.info(
                        "removing pod {}/{} (uid {}) from the runtime: it no longer exists in the API",
                        sandbox.namespace(),
                        sandbox.name(),
                        uid);
                runtime.removePodSandbox(sandbox.id()); // forced: stops what still runs
            }
            volumes.tearDown(uid);
            FileTrees.delete(directories.pod(uid));
            backoff.forget(uid);
            images.forget(uid);
            probes.forget(uid);
            addresses.forget(uid);
            workers.forget(uid);
        } catch (ProviderException | IOException | RuntimeException e) {
            log.warn("cannot remove leftovers of pod uid {}: {}", uid, e.getMessage());
        } finally {
            cleaning.remove(uid);
        }
    }

    @Override
    public void close() {
        closed = true;
        resync.shutdown(); // let a cleanup under way finish: interrupting it leaves half-removed pods
        try {
            if (!resync.awaitTermination(30, TimeUnit.SECONDS)) {
                resync.shutdownNow();
            }
        } catch (InterruptedException e) {
            resync.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (informer != null) {
            informer.close();
        }
        if (runtimeEvents != null) {
            runtimeEvents.close();
        }
        workers.close();
        probes.close();
    }
}

package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.env.ApiObjectSource;
import dev.petlet.core.env.EnvironmentResolver;
import dev.petlet.core.hook.LifecycleHooks;
import dev.petlet.core.probe.ProbeManager;
import dev.petlet.core.volume.ApiTokenSource;
import dev.petlet.core.volume.PodVolumes;
import dev.petlet.core.volume.VolumeDrivers;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerSummary;
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
    private final RuntimeRelist relist;
    private final AgentLabel agent;
    private final PodSyncer syncer;
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
        this.relist = RuntimeRelist.of(runtime, agent, this::changedInRuntime);
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
                client, nodeName, nodeIp, ApiServerAddresses.forPods(client, nodeIp), clock, addresses);
        PodVolumes volumes = new PodVolumes(
                directories.root(), new ApiObjectSource(client), new ApiTokenSource(client), volumeDrivers, clock);
        ContainerConfigFactory configs = new ContainerConfigFactory(
                directories, new EnvironmentResolver(new ApiObjectSource(client)), facts, events);
        this.syncer = new PodSyncer(
                runtime,
                images,
                configs,
                directories,
                backoff,
                events,
                agent,
                relist,
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
        relist.start();
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
                                long deletedAt = System.nanoTime();
                                Thread.ofVirtual()
                                        .name("petlet-cleanup")
                                        .start(() -> cleanUp(pod.getMetadata().getUid(), pods.keySet(), deletedAt));
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
        try {
            cleanUpOrphans(Set.of(), relist.newerThan(System.nanoTime()));
        } catch (ProviderException e) {
            log.warn("cannot list the runtime's pods to remove them: {}", e.getMessage());
        }
    }

    /**
     * Follows the runtime's events; when the stream ends (the runtime restarted, or Podman rotated its
     * events file) subscribes again with back-off and asks for a listing, which shows what the events
     * missed meanwhile would have: the pods it shows changed get a pass, not every pod.
     */
    private void subscribeToRuntimeEvents() {
        if (closed) {
            return;
        }
        try {
            Subscription subscription = runtime.eventHints(event -> {
                // Only what happens to one of our pods by itself needs a look: containers created,
                // started, stopped or removed by petlet were observed by the pass that did it, and
                // the runtime's other users' containers are none of ours. The next listing shows
                // what changed, and the pods it changed get a pass.
                String uid = event.labels().get(RuntimeLabels.POD_UID);
                if (uid != null && pods.containsKey(uid) && NEEDS_PASS.contains(event.type())) {
                    relist.request();
                }
            });
            runtimeEvents = subscription;
            if (eventRetry.toMillis() > EVENT_RETRY_MIN.toMillis()) {
                log.info("following the runtime's events again");
                // What the missed events would have said, the listing shows: the pods it changed get a pass.
                relist.request();
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

    /** A pass over each pod whose sandboxes or containers changed in the runtime, by the listing. */
    private void changedInRuntime(Set<String> uids) {
        for (String uid : uids) {
            if (pods.containsKey(uid)) {
                workers.sync(uid);
            }
        }
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
        try {
            // A listing begun now: an older one may still show what the workers of deleted pods removed.
            cleanUpOrphans(pods.keySet(), relist.newerThan(System.nanoTime()));
        } catch (ProviderException e) {
            log.warn("cannot list the runtime's pods to remove leftovers: {}", e.getMessage());
        }
    }

    private void cleanUpOrphans(Set<String> keep, RuntimeRelist.Snapshot listed) {
        try {
            Set<String> uids = new HashSet<>(listed.uids());
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
            uids.forEach(uid -> cleanUp(uid, keep, listed));
        } catch (IOException | RuntimeException e) {
            log.warn("cannot list the pods' directories to remove leftovers: {}", e.getMessage());
        }
    }

    /** Removes what the runtime holds for a pod deleted from the API, as a listing begun after {@code deletedAt} shows. */
    private void cleanUp(String uid, Set<String> keep, long deletedAt) {
        if (keep.contains(uid)) {
            return;
        }
        try {
            cleanUp(uid, keep, relist.newerThan(deletedAt));
        } catch (ProviderException e) {
            log.warn("cannot list the runtime's pods to remove leftovers of pod uid {}: {}", uid, e.getMessage());
        }
    }

    private void cleanUp(String uid, Set<String> keep, RuntimeRelist.Snapshot listed) {
        // The delete event and the periodic orphan scan may both get here for one pod: one at a time.
        if (keep.contains(uid) || !cleaning.add(uid)) {
            return;
        }
        try {
            // A deleted pod's worker removed its sandbox already; this is for pods deleted otherwise
            // (forced, or while petlet was down): stop with the kubelet's grace for pods without a
            // spec, then remove the sandboxes, which takes their containers along.
            Set<String> sandboxIds = new HashSet<>();
            listed.sandboxesOf(uid).forEach(sandbox -> sandboxIds.add(sandbox.id()));
            for (ContainerSummary container : listed.containersOf(uid)) {
                if (container.state() != ContainerState.EXITED) {
                    stopIfPresent(container.id());
                }
                if (!sandboxIds.contains(container.sandboxId())) {
                    runtime.removeContainer(container.id());
                }
            }
            for (PodSandboxSummary sandbox : listed.sandboxesOf(uid)) {
                log.info(
                        "removing pod {}/{} (uid {}) from the runtime: it no longer exists in the API",
                        sandbox.namespace(),
                        sandbox.name(),
                        uid);
                runtime.removePodSandbox(sandbox.id()); // forced: stops what still runs
            }
            syncer.release(uid);
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

    private void stopIfPresent(String containerId) throws ProviderException {
        try {
            runtime.stopContainer(containerId, ORPHAN_GRACE);
        } catch (ProviderException e) {
            if (e.code() != dev.petlet.spi.ErrorCode.NOT_FOUND) {
                throw e;
            }
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
        relist.close();
        if (runtimeEvents != null) {
            runtimeEvents.close();
        }
        workers.close();
        probes.close();
    }
}

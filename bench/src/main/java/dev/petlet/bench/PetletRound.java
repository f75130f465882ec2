package dev.petlet.bench;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Starts pods the way users do, through the API: creates them all at once from a thread pool,
 * times each from its create call until a watch first sees it Ready, runs what the caller wants
 * done while they all run, then deletes them and waits until they are gone from the API and from
 * Podman.
 */
final class PetletRound {
    /** Marks a round's pods, so a watch sees only them and one call deletes them. */
    static final String ROUND_LABEL = "bench.petlet.dev/round";

    private static final Duration TIMEOUT_BASE = Duration.ofSeconds(60);
    private static final Duration TIMEOUT_PER_POD = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final String namespace;
    private final String image;
    private final ExecutorService pool;
    private final AgentProcess agent;
    private final ContainerRuntime runtime;
    private final RuntimeLeftovers leftovers;
    private final Clock clock;
    private int rounds;

    /**
     * @param client an administrator's client that allows as many concurrent requests as the pool has threads
     * @param pool the threads the pods are created from
     * @param runtime Podman, to read when each pod's sandbox and container started
     */
    PetletRound(
            KubernetesClient client,
            String namespace,
            String image,
            ExecutorService pool,
            AgentProcess agent,
            ContainerRuntime runtime,
            Clock clock) {
        this.client = requireNonNull(client, "client");
        this.namespace = requireNonNull(namespace, "namespace");
        this.image = requireNonNull(image, "image");
        this.pool = requireNonNull(pool, "pool");
        this.agent = requireNonNull(agent, "agent");
        this.runtime = requireNonNull(runtime, "runtime");
        this.leftovers = new RuntimeLeftovers(runtime);
        this.clock = requireNonNull(clock, "clock");
    }

    PetletResult run(int count, String nodeName) throws Exception {
        return run(count, nodeName, () -> {});
    }

    /** @param whileAllRun run once every pod is Ready, before they are deleted */
    PetletResult run(int count, String nodeName, WhileRunning whileAllRun) throws Exception {
        String round = "r" + (++rounds) + "-n" + count;
        Map<String, Instant> created = new ConcurrentHashMap<>();
        Map<String, Instant> ready = new ConcurrentHashMap<>();
        Set<String> gone = ConcurrentHashMap.newKeySet();
        CountDownLatch allReady = new CountDownLatch(count);
        CountDownLatch allGone = new CountDownLatch(count);
        SharedIndexInformer<Pod> informer = client.pods()
                .inNamespace(namespace)
                .withLabel(ROUND_LABEL, round)
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(Pod pod) {
                                seen(pod);
                            }

                            @Override
                            public void onUpdate(Pod old, Pod pod) {
                                seen(pod);
                            }

                            @Override
                            public void onDelete(Pod pod, boolean finalStateUnknown) {
                                if (gone.add(pod.getMetadata().getName())) {
                                    allGone.countDown();
                                }
                            }

                            private void seen(Pod pod) {
                                if (isReady(pod)
                                        && ready.putIfAbsent(pod.getMetadata().getName(), clock.instant()) == null) {
                                    allReady.countDown();
                                }
                            }
                        },
                        0);
        try {
            List<Callable<Pod>> creations = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Pod pod = pod("%s-%03d".formatted(round, i), round, nodeName);
                creations.add(() -> {
                    created.put(pod.getMetadata().getName(), clock.instant());
                    return client.pods().inNamespace(namespace).resource(pod).create();
                });
            }
            Map<String, String> uids = new HashMap<>();
            for (Pod pod : Futures.values(pool.invokeAll(creations))) {
                uids.put(pod.getMetadata().getName(), pod.getMetadata().getUid());
            }
            Duration timeout = TIMEOUT_BASE.plus(TIMEOUT_PER_POD.multipliedBy(count));
            await(
                    allReady,
                    timeout,
                    () -> count - ready.size() + " of " + count + " pods to become Ready: "
                            + unready(informer.getStore().list(), ready.keySet()));
            Instant first = created.values().stream().min(Instant::compareTo).orElseThrow();
            Instant last = ready.values().stream().max(Instant::compareTo).orElseThrow();

            String agentId = agent.agentId().orElseThrow(() -> new IllegalStateException("petlet wrote no agent-id"));
            Map<String, Instant> sandboxCreated = sandboxesCreated(agentId);
            Map<String, Instant> containerStarted = containersStarted(agentId);
            List<Duration> pickup = new ArrayList<>();
            List<Duration> runtimeTimes = new ArrayList<>();
            List<Duration> report = new ArrayList<>();
            for (Map.Entry<String, String> pod : uids.entrySet()) {
                Instant sandbox = sandboxCreated.get(pod.getValue());
                Instant started = containerStarted.get(pod.getValue());
                if (sandbox == null || started == null) {
                    throw new IllegalStateException("pod " + pod.getKey() + " is Ready but Podman has no "
                            + (sandbox == null ? "sandbox" : "started container") + " for it");
                }
                pickup.add(Duration.between(created.get(pod.getKey()), sandbox));
                runtimeTimes.add(Duration.between(sandbox, started));
                report.add(Duration.between(started, ready.get(pod.getKey())));
            }

            whileAllRun.run();
            Instant deleting = clock.instant();
            client.pods().inNamespace(namespace).withLabel(ROUND_LABEL, round).delete();
            await(allGone, timeout, () -> count - gone.size() + " of " + count + " pods to be deleted");
            leftovers.awaitNone(agentId, timeout);
            Duration deletion = Duration.between(deleting, clock.instant());

            return new PetletResult(
                    Durations.of(ready.entrySet().stream()
                            .map(entry -> Duration.between(created.get(entry.getKey()), entry.getValue()))
                            .toList()),
                    Duration.between(first, last),
                    Durations.of(pickup),
                    Durations.of(runtimeTimes),
                    Durations.of(report),
                    deletion);
        } finally {
            informer.close();
        }
    }

    /** What to do while a round's pods all run. */
    @FunctionalInterface
    interface WhileRunning {
        void run() throws InterruptedException;
    }

    private Pod pod(String name, String round, String nodeName) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(ROUND_LABEL, round)
                .endMetadata()
                .withNewSpec()
                .withNodeName(nodeName) // bound directly: the scheduler's latency is not petlet's
                .withAutomountServiceAccountToken(false) // petlet does not project tokens yet
                .withTerminationGracePeriodSeconds(1L) // `sleep` as PID 1 ignores SIGTERM
                .addNewContainer()
                .withName("sleep")
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "3600")
                .endContainer()
                .endSpec()
                .build();
    }

    /** When Podman created each pod's sandbox, by pod UID. */
    private Map<String, Instant> sandboxesCreated(String agentId) throws ProviderException {
        Map<String, Instant> created = new HashMap<>();
        for (PodSandboxSummary sandbox :
                runtime.listPodSandboxes(PodSandboxFilter.withLabels(Map.of(RuntimeLeftovers.AGENT_LABEL, agentId)))) {
            created.merge(sandbox.podUid(), sandbox.createdAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
        return created;
    }

    /** When Podman started each pod's container, by pod UID. */
    private Map<String, Instant> containersStarted(String agentId) throws ProviderException {
        Map<String, Instant> started = new HashMap<>();
        for (ContainerSummary container :
                runtime.listContainers(ContainerFilter.withLabels(Map.of(RuntimeLeftovers.AGENT_LABEL, agentId)))) {
            Instant at = runtime.containerStatus(container.id()).startedAt();
            String uid = container.labels().get(RuntimeLabels.POD_UID);
            if (at != null && uid != null) {
                started.merge(uid, at, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return started;
    }

    /** Waits for the latch in slices, failing early if the agent exits. */
    private void await(CountDownLatch latch, Duration timeout, Supplier<String> waitingFor)
            throws InterruptedException, IOException {
        Instant deadline = clock.instant().plus(timeout);
        while (!latch.await(1, TimeUnit.SECONDS)) {
            agent.checkRunning();
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException(
                        "timed out after " + timeout.toSeconds() + " s waiting for " + waitingFor.get());
            }
        }
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The first few pods not yet Ready, with their phase and waiting reason, for a timeout message. */
    private static String unready(List<Pod> pods, Collection<String> ready) {
        return pods.stream()
                .filter(pod -> !ready.contains(pod.getMetadata().getName()))
                .limit(5)
                .map(pod -> pod.getMetadata().getName() + " ("
                        + Optional.ofNullable(pod.getStatus())
                                .map(status -> status.getPhase()
                                        + Optional.ofNullable(status.getContainerStatuses()).orElse(List.of()).stream()
                                                .filter(c -> c.getState() != null
                                                        && c.getState().getWaiting() != null)
                                                .map(c -> " "
                                                        + c.getState()
                                                                .getWaiting()
                                                                .getReason())
                                                .collect(Collectors.joining()))
                                .orElse("no status")
                        + ")")
                .collect(Collectors.joining(", "));
    }
}

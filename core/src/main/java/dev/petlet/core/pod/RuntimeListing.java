package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeLabels;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The runtime's sandboxes and containers of a pod, listed for many concurrent pod passes at once.
 *
 * <p>Every pass starts by listing what the runtime holds for its pod. Listing is the runtime's most
 * expensive read (Podman walks and locks every container for it), and when a hundred pods start
 * together a hundred passes list at the same time. Here they share: a caller waits for a listing
 * that began after it asked, so what it gets is never older than its call; callers that ask while
 * one listing runs are served together by the next one. A listing for one pod is filtered by its
 * UID in the runtime; a listing for several pods lists everything this agent labelled, once.
 *
 * <p>Thread-safe; listings run on virtual threads of their own.
 */
final class RuntimeListing {
    /** Lists the runtime's objects that carry all of the given labels. */
    @FunctionalInterface
    interface Lister<T> {
        List<T> list(Map<String, String> labels) throws ProviderException;
    }

    /** What the runtime held for some pods: sandboxes and containers by pod UID. */
    record Snapshot(Map<String, List<PodSandboxSummary>> sandboxes, Map<String, List<ContainerSummary>> containers) {
        List<PodSandboxSummary> sandboxesOf(String uid) {
            return sandboxes.getOrDefault(uid, List.of());
        }

        List<ContainerSummary> containersOf(String uid) {
            return containers.getOrDefault(uid, List.of());
        }
    }

    private final Lister<PodSandboxSummary> sandboxLister;
    private final Lister<ContainerSummary> containerLister;
    private final Map<String, String> agentLabels;
    private final Object lock = new Object();
    private Batch running;
    private Batch next;

    RuntimeListing(
            Lister<PodSandboxSummary> sandboxLister,
            Lister<ContainerSummary> containerLister,
            Map<String, String> agentLabels) {
        this.sandboxLister = requireNonNull(sandboxLister, "sandboxLister");
        this.containerLister = requireNonNull(containerLister, "containerLister");
        this.agentLabels = Map.copyOf(agentLabels);
    }

    static RuntimeListing of(ContainerRuntime runtime, AgentLabel agent) {
        return new RuntimeListing(
                labels -> runtime.listPodSandboxes(PodSandboxFilter.withLabels(labels)),
                labels -> runtime.listContainers(ContainerFilter.withLabels(labels)),
                Map.of(AgentLabel.KEY, agent.value()));
    }

    /** The pod's sandboxes and containers, from a listing that began after this call. */
    Snapshot of(String uid) throws ProviderException {
        requireNonNull(uid, "uid");
        Batch mine;
        synchronized (lock) {
            if (running == null) {
                mine = new Batch();
                mine.uids.add(uid);
                running = mine;
                launch(mine);
            } else {
                if (next == null) {
                    next = new Batch();
                }
                next.uids.add(uid);
                mine = next;
            }
        }
        return await(mine.result);
    }

    /** Whether a caller for {@code uid} waits for the next listing (for tests). */
    boolean queued(String uid) {
        synchronized (lock) {
            return next != null && next.uids.contains(uid);
        }
    }

    private void launch(Batch batch) {
        Thread.ofVirtual().name("petlet-runtime-listing").start(() -> {
            try {
                batch.result.complete(list(batch.uids));
            } catch (ProviderException | RuntimeException e) {
                batch.result.completeExceptionally(e);
            } finally {
                synchronized (lock) {
                    running = next;
                    next = null;
                    if (running != null) {
                        launch(running);
                    }
                }
            }
        });
    }

    private Snapshot list(Set<String> uids) throws ProviderException {
        Map<String, String> labels = new HashMap<>(agentLabels);
        if (uids.size() == 1) {
            labels.put(RuntimeLabels.POD_UID, uids.iterator().next());
        }
        Map<String, List<PodSandboxSummary>> sandboxes = new HashMap<>();
        for (PodSandboxSummary sandbox : sandboxLister.list(labels)) {
            sandboxes
                    .computeIfAbsent(sandbox.podUid(), uid -> new java.util.ArrayList<>())
                    .add(sandbox);
        }
        Map<String, List<ContainerSummary>> containers = new HashMap<>();
        for (ContainerSummary container : containerLister.list(labels)) {
            String uid = container.labels().get(RuntimeLabels.POD_UID);
            if (uid != null) {
                containers
                        .computeIfAbsent(uid, key -> new java.util.ArrayList<>())
                        .add(container);
            }
        }
        return new Snapshot(sandboxes, containers);
    }

    private static Snapshot await(CompletableFuture<Snapshot> result) throws ProviderException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the runtime's pods", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProviderException provider) {
                throw provider;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The pods one listing serves, and its outcome. UIDs are added under the listing's lock only. */
    private static final class Batch {
        final Set<String> uids = new LinkedHashSet<>();
        final CompletableFuture<Snapshot> result = new CompletableFuture<>();
    }
}

package dev.petlet.bench;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * This benchmark's objects in Podman, found by the label petlet marks its own objects with (the
 * agent's and the floor's values differ, so neither touches the other's, nor another agent's).
 */
final class RuntimeLeftovers {
    /** {@code dev.petlet.core.pod.AgentLabel.KEY}, which is not public. */
    static final String AGENT_LABEL = "io.petlet.agent";

    private static final int REMOVAL_THREADS = 8;

    private final ContainerRuntime runtime;

    RuntimeLeftovers(ContainerRuntime runtime) {
        this.runtime = requireNonNull(runtime, "runtime");
    }

    /** How many sandboxes and containers carry the agent label with this value. */
    int count(String agentId) throws ProviderException {
        Map<String, String> mine = Map.of(AGENT_LABEL, agentId);
        return runtime.listPodSandboxes(PodSandboxFilter.withLabels(mine)).size()
                + runtime.listContainers(ContainerFilter.withLabels(mine)).size();
    }

    /** Waits until nothing carries the agent label with this value. */
    void awaitNone(String agentId, Duration timeout) {
        Poll.untilTrue(
                timeout, "Podman to hold no sandbox or container labelled " + AGENT_LABEL + "=" + agentId, () -> {
                    try {
                        return count(agentId) == 0;
                    } catch (ProviderException e) {
                        throw new IllegalStateException("cannot list Podman's pods: " + e.getMessage(), e);
                    }
                });
    }

    /** Removes, forcibly and a few at a time, every container and sandbox carrying the agent label with this value. */
    void remove(String agentId) throws Exception {
        Map<String, String> mine = Map.of(AGENT_LABEL, agentId);
        List<Callable<Void>> removals = new ArrayList<>();
        for (ContainerSummary container : runtime.listContainers(ContainerFilter.withLabels(mine))) {
            removals.add(() -> {
                runtime.removeContainer(container.id());
                return null;
            });
        }
        run(removals);
        removals.clear();
        for (PodSandboxSummary sandbox : runtime.listPodSandboxes(PodSandboxFilter.withLabels(mine))) {
            removals.add(() -> {
                runtime.removePodSandbox(sandbox.id()); // forced: see PodmanFloorRound on stopping first
                return null;
            });
        }
        run(removals);
    }

    private static void run(List<Callable<Void>> removals) throws Exception {
        if (removals.isEmpty()) {
            return;
        }
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(REMOVAL_THREADS, removals.size()));
        try {
            Futures.values(threads.invokeAll(removals));
        } finally {
            threads.shutdownNow();
        }
    }
}

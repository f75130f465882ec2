package dev.petlet.bench;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.PodSandboxConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * The floor: the least work that starts the same pods, straight through the Podman provider
 * (run a sandbox, create a container, start it), from the same thread pool, with no API server,
 * no watch and no status. Petlet's pods are labelled with another agent value, so neither side
 * sees the other's pods.
 */
final class PodmanFloorRound {
    private static final String NAMESPACE = "bench-floor";

    private final ContainerRuntime runtime;
    private final String floorId;
    private final String image;
    private final ExecutorService pool;
    private final Clock clock;
    private int rounds;

    /** @param floorId the value of the agent label on the floor's objects */
    PodmanFloorRound(ContainerRuntime runtime, String floorId, String image, ExecutorService pool, Clock clock) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.floorId = requireNonNull(floorId, "floorId");
        this.image = requireNonNull(image, "image");
        this.pool = requireNonNull(pool, "pool");
        this.clock = requireNonNull(clock, "clock");
    }

    private record Started(String sandboxId, Instant begin, Instant end) {}

    FloorResult run(int count) throws Exception {
        String round = "r" + (++rounds) + "-n" + count;
        List<Callable<Started>> starts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "%s-%03d".formatted(round, i);
            starts.add(() -> start(name));
        }
        List<Started> started = Futures.values(pool.invokeAll(starts));

        Instant removing = clock.instant();
        List<Callable<Void>> removals = new ArrayList<>();
        for (Started pod : started) {
            // Not stopPodSandbox first: Podman 4.3 reads its t=0 as "the default 10 s" and waits
            // that long for `sleep`, which as PID 1 ignores SIGTERM. Forced removal kills at once.
            removals.add(() -> {
                runtime.removePodSandbox(pod.sandboxId());
                return null;
            });
        }
        Futures.values(pool.invokeAll(removals));
        Duration removal = Duration.between(removing, clock.instant());

        Instant first =
                started.stream().map(Started::begin).min(Instant::compareTo).orElseThrow();
        Instant last =
                started.stream().map(Started::end).max(Instant::compareTo).orElseThrow();
        return new FloorResult(
                Durations.of(started.stream()
                        .map(pod -> Duration.between(pod.begin(), pod.end()))
                        .toList()),
                Duration.between(first, last),
                removal);
    }

    private Started start(String name) throws Exception {
        Instant begin = clock.instant();
        PodSandboxConfig sandbox = PodSandboxConfig.builder(UUID.randomUUID().toString(), NAMESPACE, name)
                .label(RuntimeLeftovers.AGENT_LABEL, floorId)
                .build();
        String sandboxId = runtime.runPodSandbox(sandbox);
        ContainerConfig container = ContainerConfig.builder("sleep", ImageSpec.of(image))
                .command("sleep", "3600")
                .label(RuntimeLeftovers.AGENT_LABEL, floorId)
                .build();
        runtime.startContainer(runtime.createContainer(sandboxId, container, sandbox));
        return new Started(sandboxId, begin, clock.instant());
    }
}

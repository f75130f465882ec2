package dev.petlet.bench;

import dev.petlet.core.provider.Providers;
import dev.petlet.sandbox.Sandbox;
import dev.petlet.sandbox.SandboxOptions;
import dev.petlet.sandbox.SandboxPorts;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.testing.SandboxExtension;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How fast petlet starts pods, against the floor of starting the same pods straight through
 * Podman, and what the agent costs meanwhile. Starts a control plane of its own (no node), runs
 * {@code petlet run} from the distribution as node {@value #NODE_NAME}, then for each pod count
 * starts that many pods at once through the API and the same number through Podman, and prints
 * one table. Prints numbers; asserts nothing. Run it with {@code bench/pod-startup}, as root.
 */
public final class PodStartupBenchmark {
    /** Ports of its own, away from a user's sandbox and the E2E tests' one. */
    static final SandboxPorts PORTS = new SandboxPorts(46443, 42379, 50257, 50259, 48989);

    static final String NODE_NAME = "bench-node";
    private static final String NAMESPACE = "pod-startup";
    private static final Duration NODE_READY_TIMEOUT = Duration.ofMinutes(3);

    private final BenchOptions options;
    private final Cleanup cleanup;
    private final Clock clock = Clock.systemUTC();

    private PodStartupBenchmark(BenchOptions options, Cleanup cleanup) {
        this.options = options;
        this.cleanup = cleanup;
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pod-startup: " + e.getMessage() + "\n" + BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Cleanup cleanup = new Cleanup();
        cleanup.onShutdown();
        int status = 0;
        try {
            String table = new PodStartupBenchmark(options, cleanup).run();
            progress("cleaning up");
            cleanup.close();
            System.out.print(table);
        } catch (Exception | AssertionError e) {
            if (cleanup.closing()) {
                status = 130; // stopped by a signal; the shutdown hook cleans up
            } else {
                System.err.println("pod-startup: " + e.getMessage());
                if (isBug(e)) {
                    e.printStackTrace();
                }
                status = 1;
            }
        } finally {
            cleanup.close();
        }
        System.exit(status);
    }

    /** Failures with a message for users (a timeout, a component that would not start) need no trace. */
    private static boolean isBug(Throwable failure) {
        return failure instanceof RuntimeException
                && !(failure instanceof IllegalStateException || failure instanceof KubernetesClientException);
    }

    private String run() throws Exception {
        Path work = workDirectory();
        progress("work folder " + work);

        Sandbox sandbox = Sandbox.start(
                new SandboxOptions(
                        work.resolve("sandbox"),
                        PORTS,
                        SandboxExtension.binaries(),
                        Optional.empty(),
                        Duration.ofDays(365),
                        true,
                        Optional.empty()),
                PodStartupBenchmark::progress);
        cleanup.add("stop the control plane", sandbox::close);

        ContainerRuntime podman = Providers.load(PodStartupBenchmark.class.getClassLoader())
                .runtime("podman", Map.of(), "bench-floor", work.resolve("floor"), clock);
        cleanup.add("close the Podman client", podman::close);
        podman.version(); // fails now, with the provider's advice, if Podman does not answer
        RuntimeLeftovers leftovers = new RuntimeLeftovers(podman);
        String floorId = "pod-startup-floor-" + UUID.randomUUID();
        Files.writeString(work.resolve("floor-agent-id"), floorId + "\n");
        cleanup.add("remove the floor's pods from Podman", () -> leftovers.remove(floorId));

        Path agentDirectory = work.resolve("agent");
        cleanup.add("remove petlet's pods from Podman", () -> {
            Optional<String> agentId = AgentProcess.agentId(agentDirectory);
            if (agentId.isPresent()) {
                leftovers.remove(agentId.get());
            }
        });
        progress("starting petlet run as node " + NODE_NAME + " (log: " + agentDirectory.resolve("agent.log") + ")");
        AgentProcess agent =
                AgentProcess.start(options.distribution(), agentDirectory, NODE_NAME, sandbox.server(), sandbox.pki());
        cleanup.add("stop petlet run", agent::close);

        KubernetesClient admin = adminClient(sandbox);
        cleanup.add("close the API client", admin::close);
        agent.awaitReady(admin, NODE_READY_TIMEOUT);
        progress("node " + NODE_NAME + " is Ready");
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .create();
        // The ServiceAccount admission plugin refuses pods until the namespace's default account exists.
        admin.serviceAccounts()
                .inNamespace(NAMESPACE)
                .withName("default")
                .waitUntilCondition(Objects::nonNull, 1, TimeUnit.MINUTES);

        ExecutorService pool = Executors.newFixedThreadPool(options.threads());
        cleanup.add("stop the pod threads", pool::shutdownNow);
        PetletRound petlet = new PetletRound(admin, NAMESPACE, options.image(), pool, agent, podman, clock);
        PodmanFloorRound floor = new PodmanFloorRound(podman, floorId, options.image(), pool, clock);

        progress("warming up: one pod through petlet, one through Podman (not counted; load average " + loadAverage()
                + ")");
        petlet.run(1, NODE_NAME);
        floor.run(1);

        CpuMeter meter = CpuMeter.of(agent.pid(), work.resolve("sandbox"));
        List<ResultRow> rows = new ArrayList<>();
        for (int count : options.counts()) {
            int runs = count == 1 ? options.singlePodRuns() : options.runs();
            List<PetletResult> petletRuns = new ArrayList<>();
            List<FloorResult> floorRuns = new ArrayList<>();
            Duration agentCpu = Duration.ZERO;
            long libpodCalls = 0;
            Map<String, Duration> petletCpu = new LinkedHashMap<>();
            Map<String, Duration> floorCpu = new LinkedHashMap<>();
            Map<String, Duration> idleCpu = new LinkedHashMap<>();
            Duration idle = count >= 10 ? options.idle() : Duration.ZERO;
            for (int run = 0; run < runs; run++) {
                ProcessUsage before = agent.usage();
                long callsBefore = agent.libpodCalls();
                Map<String, Duration> start = meter.read();
                Map<String, Duration> idleRun = new LinkedHashMap<>();
                petletRuns.add(petlet.run(count, NODE_NAME, () -> {
                    if (!idle.isZero()) {
                        progress("N=" + count + ": all Ready; measuring CPU for " + idle.toSeconds() + " s");
                        Map<String, Duration> quiet = meter.read();
                        Thread.sleep(idle.toMillis()); // a fixed window of nothing happening is what is measured
                        idleRun.putAll(CpuMeter.since(quiet, meter.read()));
                    }
                }));
                Map<String, Duration> middle = meter.read();
                libpodCalls += agent.libpodCalls() - callsBefore;
                agentCpu = agentCpu.plus(agent.usage().cpuSince(before))
                        .minus(idleRun.getOrDefault("agent", Duration.ZERO));
                floorRuns.add(floor.run(count));
                if (runs > 1 && count > 1) {
                    progress(String.format(
                            "N=%d, run %d of %d: petlet total %.2f s, Podman floor total %.2f s",
                            count,
                            run + 1,
                            runs,
                            ResultRow.seconds(petletRuns.getLast().total()),
                            ResultRow.seconds(floorRuns.getLast().total())));
                }
                Map<String, Duration> round = CpuMeter.since(start, middle);
                round.replaceAll((name, cpu) -> cpu.minus(idleRun.getOrDefault(name, Duration.ZERO)));
                CpuMeter.add(petletCpu, round);
                CpuMeter.add(idleCpu, idleRun);
                CpuMeter.add(floorCpu, CpuMeter.since(middle, meter.read()));
            }
            petletCpu.replaceAll((name, cpu) -> cpu.dividedBy(runs));
            floorCpu.replaceAll((name, cpu) -> cpu.dividedBy(runs));
            idleCpu.replaceAll((name, cpu) -> cpu.dividedBy(runs));
            ResultRow row = new ResultRow(
                    count,
                    runs,
                    PetletResult.pooled(petletRuns),
                    FloorResult.pooled(floorRuns),
                    agent.usage().peakRssKib(),
                    agentCpu.dividedBy(runs),
                    (double) libpodCalls / (count * runs),
                    petletCpu,
                    floorCpu,
                    idleCpu,
                    idle);
            rows.add(row);
            progress(String.format(
                    "N=%d: petlet total %.2f s, Podman floor total %.2f s, agent peak RSS %d MiB (load average %s)",
                    count,
                    ResultRow.seconds(row.petlet().total()),
                    ResultRow.seconds(row.floor().total()),
                    row.agentPeakRssKib() / 1024,
                    loadAverage()));
        }
        return ResultTable.render(rows, options.threads());
    }

    /** The one the options name (its owner deletes it), or a temporary one deleted at the end. */
    private Path workDirectory() throws IOException {
        if (options.workDirectory().isPresent()) {
            return Files.createDirectories(options.workDirectory().get().toAbsolutePath());
        }
        Path work = Files.createTempDirectory("petlet-pod-startup-");
        cleanup.add("delete " + work, () -> deleteRecursively(work));
        return work;
    }

    /** An administrator's client that sends as many requests at once as the pool has threads. */
    private KubernetesClient adminClient(Sandbox sandbox) throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(sandbox.adminKubeconfig()));
        config.setMaxConcurrentRequests(options.threads() + 64);
        config.setMaxConcurrentRequestsPerHost(options.threads() + 16); // the default, 5, would serialize creation
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The machine's one-minute load average: other work on it skews the numbers. */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void progress(String line) {
        System.err.println("pod-startup: " + line);
    }
}

package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStats;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.Mount;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.RuntimeLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLifecycleIT extends PodmanTestBase {

    @Test
    void createdContainerStartsAndRunsWithItsMetadata(@TempDir Path volume) throws Exception {
        Files.writeString(volume.resolve("greeting"), "hello");
        PodSandboxConfig sandbox = sandbox("app").build();
        String sandboxId = runtime.runPodSandbox(sandbox);
        ContainerConfig config = shell("main", "cat /data/greeting > /tmp/copy; sleep 300")
                .attempt(2)
                .label("tier", "front")
                .annotation("io.kubernetes.container.hash", "abc123")
                .environment("GREETING", "hi there")
                .mount(new Mount(volume.toString(), "/data", true))
                .build();

        String id = runtime.createContainer(sandboxId, config, sandbox);
        assertThat(runtime.containerStatus(id).state()).isEqualTo(ContainerState.CREATED);
        runtime.startContainer(id);
        runtime.startContainer(id);

        ContainerStatus status = runtime.containerStatus(id);
        assertThat(status.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(status.sandboxId()).isEqualTo(sandboxId);
        assertThat(status.name()).isEqualTo("main");
        assertThat(status.attempt()).isEqualTo(2);
        assertThat(status.startedAt()).isNotNull();
        assertThat(status.exitCode()).isNull();
        assertThat(status.image()).isEqualTo("localhost/busybox:latest");
        assertThat(status.imageId()).isNotEmpty();
        assertThat(status.annotations()).isEqualTo(Map.of("io.kubernetes.container.hash", "abc123"));
        assertThat(status.labels())
                .containsEntry("tier", "front")
                .containsEntry(RuntimeLabels.POD_UID, sandbox.podUid())
                .containsEntry(RuntimeLabels.CONTAINER_NAME, "main")
                .containsEntry(RuntimeLabels.CONTAINER_RESTART_COUNT, "2");
    }

    @Test
    void listsContainersByLabelAndSandbox() throws ProviderException {
        PodSandboxConfig sandbox = sandbox("listed").build();
        String sandboxId = runtime.runPodSandbox(sandbox);
        String running =
                runtime.createContainer(sandboxId, shell("running", "sleep 300").build(), sandbox);
        runtime.startContainer(running);
        String created =
                runtime.createContainer(sandboxId, shell("created", "true").build(), sandbox);

        List<ContainerSummary> byPod =
                runtime.listContainers(ContainerFilter.withLabels(Map.of(RuntimeLabels.POD_UID, sandbox.podUid())));
        assertThat(byPod).extracting(ContainerSummary::id).containsExactlyInAnyOrder(running, created);
        assertThat(byPod).extracting(ContainerSummary::sandboxId).containsOnly(sandboxId);
        assertThat(runtime.listContainers(new ContainerFilter(null, sandboxId, ContainerState.RUNNING, Map.of())))
                .singleElement()
                .satisfies(container -> {
                    assertThat(container.id()).isEqualTo(running);
                    assertThat(container.name()).isEqualTo("running");
                });
        assertThat(runtime.listContainers(ContainerFilter.withLabels(Map.of(RuntimeLabels.POD_UID, "no-such-pod"))))
                .isEmpty();
    }

    @Test
    void exitCodeAndReasonAfterExit() throws ProviderException {
        PodSandboxConfig sandbox = sandbox("exits").build();
        String sandboxId = runtime.runPodSandbox(sandbox);
        String failing =
                runtime.createContainer(sandboxId, shell("failing", "exit 3").build(), sandbox);
        String succeeding =
                runtime.createContainer(sandboxId, shell("succeeding", "exit 0").build(), sandbox);
        runtime.startContainer(failing);
        runtime.startContainer(succeeding);

        ContainerStatus failed = awaitState(failing, ContainerState.EXITED);
        ContainerStatus completed = awaitState(succeeding, ContainerState.EXITED);

        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.reason()).isEqualTo(ContainerStatus.REASON_ERROR);
        assertThat(failed.finishedAt()).isAfterOrEqualTo(failed.startedAt());
        assertThat(completed.exitCode()).isZero();
        assertThat(completed.reason()).isEqualTo(ContainerStatus.REASON_COMPLETED);
    }

    @Test
    void exceedingTheMemoryLimitIsOomKilled() throws ProviderException {
        assumeTrue(
                Files.exists(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"))
                        || Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")),
                "this kernel has no memory cgroup controller, so memory limits are not enforced");
        PodSandboxConfig sandbox = sandbox("hungry").build();
        String id = startInNewSandbox(
                sandbox,
                shell("hungry", "dd if=/dev/zero of=/dev/null bs=200M count=1")
                        .memoryLimitBytes(32L << 20)
                        .build());

        ContainerStatus status = awaitState(id, ContainerState.EXITED);

        assumeTrue(
                status.exitCode() == 137,
                "the kernel did not kill a container over its 32 MiB memory limit (exit code " + status.exitCode()
                        + "): memory limits are not enforced here");
        assertThat(status.reason())
                .as("Podman must report the OOM kill (needs the conmon wrapper from scripts/podman-service)")
                .isEqualTo(ContainerStatus.REASON_OOM_KILLED);
    }

    @Test
    void stopWaitsForTheGracePeriodThenKills() throws ProviderException {
        PodSandboxConfig sandbox = sandbox("stubborn").build();
        String sandboxId = runtime.runPodSandbox(sandbox);
        String stubborn = runtime.createContainer(
                sandboxId,
                shell("stubborn", "trap '' TERM; while true; do sleep 0.1; done")
                        .build(),
                sandbox);
        String polite = runtime.createContainer(
                sandboxId,
                shell("polite", "trap 'exit 0' TERM; while true; do sleep 0.1; done")
                        .build(),
                sandbox);
        runtime.startContainer(stubborn);
        runtime.startContainer(polite);

        Instant start = Instant.now();
        runtime.stopContainer(stubborn, Duration.ofSeconds(2));
        Duration stubbornTook = Duration.between(start, Instant.now());
        start = Instant.now();
        runtime.stopContainer(polite, Duration.ofSeconds(20));
        Duration politeTook = Duration.between(start, Instant.now());

        assertThat(stubbornTook).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(15));
        ContainerStatus killed = runtime.containerStatus(stubborn);
        assertThat(killed.state()).isEqualTo(ContainerState.EXITED);
        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(politeTook).isLessThan(Duration.ofSeconds(10));
        assertThat(runtime.containerStatus(polite).exitCode()).isZero();

        runtime.stopContainer(polite, Duration.ofSeconds(1));
    }

    @Test
    void removingIsIdempotentAndMissingContainersAreNotFound() throws ProviderException {
        PodSandboxConfig sandbox = sandbox("gone").build();
        String id = startInNewSandbox(sandbox, shell("gone", "sleep 300").build());

        runtime.removeContainer(id);
        runtime.removeContainer(id);

        assertThat(codeOf(() -> runtime.containerStatus(id))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(codeOf(() -> runtime.stopContainer(id, Duration.ZERO))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(codeOf(() -> runtime.startContainer(id))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void containerThatCannotStartIsInvalid() throws ProviderException {
        PodSandboxConfig sandbox = sandbox("broken").build();
        String sandboxId = runtime.runPodSandbox(sandbox);
        String id = runtime.createContainer(
                sandboxId,
                ContainerConfig.builder("broken", BUSYBOX)
                        .command("/no/such/program")
                        .build(),
                sandbox);

        assertThat(codeOf(() -> runtime.startContainer(id))).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void createFailsClearlyForMissingSandboxOrImage() throws ProviderException {
        PodSandboxConfig sandbox = sandbox("missing").build();
        String sandboxId = runtime.runPodSandbox(sandbox);

        assertThat(codeOf(() -> runtime.createContainer(
                        "0123456789ab", shell("x", "true").build(), sandbox)))
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(codeOf(() -> runtime.createContainer(
                        sandboxId,
                        ContainerConfig.builder("x", ImageSpec.of("localhost/no-such-image:1"))
                                .build(),
                        sandbox)))
                .isEqualTo(ErrorCode.NOT_FOUND);
        runtime.createContainer(sandboxId, shell("twice", "true").build(), sandbox);
        assertThat(codeOf(() -> runtime.createContainer(
                        sandboxId, shell("twice", "true").build(), sandbox)))
                .isEqualTo(ErrorCode.ALREADY_EXISTS);
    }

    @Test
    void statsReportCpuAndMemoryOfRunningContainers() throws ProviderException, IOException {
        PodSandboxConfig sandbox = sandbox("busy").build();
        String id = startInNewSandbox(
                sandbox, shell("busy", "x=; while true; do x=$x.; done").build());

        ContainerStats stats = Polling.value(WAIT, "CPU usage of " + id, () -> {
            try {
                return runtime
                        .stats(ContainerFilter.withLabels(Map.of(RuntimeLabels.POD_UID, sandbox.podUid())))
                        .stream()
                        .filter(entry -> entry.cpuUsageNanos() > 0)
                        .findFirst();
            } catch (ProviderException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(stats.containerId()).isEqualTo(id);
        assertThat(stats.sandboxId()).isNotNull();
        assertThat(stats.memoryWorkingSetBytes()).isPositive();
        assertThat(stats.labels()).containsEntry(RuntimeLabels.CONTAINER_NAME, "busy");
    }

    @Test
    void theWorkingSetLeavesOutInactiveFileCache() throws ProviderException, IOException {
        PodSandboxConfig sandbox = sandbox("cache").build();
        // The loop starts only once the file is written; a second of CPU means it has been running a while.
        String id = startInNewSandbox(
                sandbox,
                shell("cache", "dd if=/dev/zero of=/cached bs=1M count=64 && sync && while true; do :; done")
                        .build());

        ContainerStats stats = Polling.value(WAIT, "a second of CPU after writing 64 MiB in " + id, () -> {
            try {
                return runtime
                        .stats(ContainerFilter.withLabels(Map.of(RuntimeLabels.POD_UID, sandbox.podUid())))
                        .stream()
                        .filter(entry -> entry.cpuUsageNanos() > 1_000_000_000L)
                        .findFirst();
            } catch (ProviderException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(stats.memoryWorkingSetBytes()).isPositive().isLessThan(32L << 20);
    }
}

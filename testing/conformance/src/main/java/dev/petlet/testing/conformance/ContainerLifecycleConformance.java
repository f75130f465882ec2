package dev.petlet.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeListing;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Containers: create, start, exit codes, stop, list and remove, each idempotent where the SPI says so. */
public abstract class ContainerLifecycleConformance extends RuntimeConformance {
    @Test
    void listingEverythingAtOnceAgreesWithTheTwoListings() throws Exception {
        Created running = startContainer("listed", workloads().runsUntilStopped());
        String stopped = runSandbox(sandboxConfig("listed-stopped"));
        runtime.stopPodSandbox(stopped);
        Map<String, String> byRun = Map.of(RUN_LABEL, run);
        Map<String, String> byContainer = Map.of("io.petlet.conformance.container", "listed");

        RuntimeListing all = runtime.listAll(byRun);
        RuntimeListing oneContainer = runtime.listAll(byContainer);

        assertThat(all.sandboxes())
                .extracting(PodSandboxSummary::id, PodSandboxSummary::state)
                .containsExactlyInAnyOrder(
                        tuple(running.sandboxId(), PodSandboxState.READY), tuple(stopped, PodSandboxState.NOTREADY));
        assertThat(oneContainer.containers())
                .extracting(ContainerSummary::id, ContainerSummary::sandboxId, ContainerSummary::state)
                .containsExactly(tuple(running.containerId(), running.sandboxId(), ContainerState.RUNNING));
        for (Map<String, String> labels : List.of(byRun, byContainer)) {
            RuntimeListing listing = runtime.listAll(labels);
            assertThat(listing.sandboxes())
                    .extracting(
                            PodSandboxSummary::id,
                            PodSandboxSummary::podUid,
                            PodSandboxSummary::namespace,
                            PodSandboxSummary::name,
                            PodSandboxSummary::attempt,
                            PodSandboxSummary::state)
                    .containsExactlyInAnyOrderElementsOf(
                            runtime.listPodSandboxes(PodSandboxFilter.withLabels(labels)).stream()
                                    .map(s ->
                                            tuple(s.id(), s.podUid(), s.namespace(), s.name(), s.attempt(), s.state()))
                                    .toList());
            assertThat(listing.containers())
                    .extracting(
                            ContainerSummary::id,
                            ContainerSummary::sandboxId,
                            ContainerSummary::name,
                            ContainerSummary::state)
                    .containsExactlyInAnyOrderElementsOf(
                            runtime.listContainers(ContainerFilter.withLabels(labels)).stream()
                                    .map(c -> tuple(c.id(), c.sandboxId(), c.name(), c.state()))
                                    .toList());
        }
    }

    @Test
    void aCreatedContainerWaitsToBeStarted() throws Exception {
        Created created = createContainer("created", workloads().runsUntilStopped());

        ContainerStatus status = runtime.containerStatus(created.containerId());

        assertThat(status.state()).isEqualTo(ContainerState.CREATED);
        assertThat(status.name()).isEqualTo("created");
        assertThat(status.sandboxId()).isEqualTo(created.sandboxId());
        assertThat(status.labels()).containsEntry("io.petlet.conformance.container", "created");
    }

    @Test
    void aStartedContainerRunsAndStartingAgainSucceeds() throws Exception {
        Created created = startContainer("running", workloads().runsUntilStopped());

        runtime.startContainer(created.containerId());

        ContainerStatus status = runtime.containerStatus(created.containerId());
        assertThat(status.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(status.startedAt()).isNotNull();
    }

    @Test
    void aContainerThatExitsReportsItsExitCode() throws Exception {
        Created created = startContainer("exits", workloads().printsThenExits("bye", 3));

        ContainerStatus status = awaitState(created.containerId(), ContainerState.EXITED);

        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.finishedAt()).isNotNull();
    }

    @Test
    void stoppingEndsItAndStoppingAgainSucceeds() throws Exception {
        Created created = startContainer("stopped", workloads().runsUntilStopped());

        runtime.stopContainer(created.containerId(), Duration.ofSeconds(1));
        runtime.stopContainer(created.containerId(), Duration.ofSeconds(1));

        assertThat(runtime.containerStatus(created.containerId()).state()).isEqualTo(ContainerState.EXITED);
    }

    @Test
    void containersAreListedBySandbox() throws Exception {
        Created created = createContainer("listed", workloads().runsUntilStopped());

        assertThat(runtime.listContainers(ContainerFilter.inSandbox(created.sandboxId())))
                .extracting(ContainerSummary::id)
                .containsExactly(created.containerId());
    }

    @Test
    void removingTwiceLeavesNothing() throws Exception {
        Created created = startContainer("removed", workloads().runsUntilStopped());

        runtime.removeContainer(created.containerId());
        runtime.removeContainer(created.containerId());

        assertFailsWith(ErrorCode.NOT_FOUND, () -> runtime.containerStatus(created.containerId()));
        assertThat(runtime.listContainers(ContainerFilter.inSandbox(created.sandboxId())))
                .isEmpty();
    }

    @Test
    void operationsOnAMissingContainerAreNotFound() {
        String missing = "no-such-container-" + run;
        assertFailsWith(ErrorCode.NOT_FOUND, () -> runtime.containerStatus(missing));
        assertFailsWith(ErrorCode.NOT_FOUND, () -> runtime.startContainer(missing));
    }
}

package dev.petlet.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ContainerSummary;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Containers: create, start, exit codes, stop, list and remove, each idempotent where the SPI says so. */
public abstract class ContainerLifecycleConformance extends RuntimeConformance {
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

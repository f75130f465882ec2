package dev.petlet.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PodSandboxSummary;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pod sandboxes: run, status, list by label, stop and remove, each idempotent where the SPI says so. */
public abstract class PodSandboxConformance extends RuntimeConformance {
    @Test
    void aNewSandboxIsReadyAndKeepsItsMetadata() throws Exception {
        PodSandboxConfig config = sandboxConfig("ready");

        String id = runSandbox(config);
        PodSandboxStatus status = runtime.podSandboxStatus(id);

        assertThat(status.state()).isEqualTo(PodSandboxState.READY);
        assertThat(status.podUid()).isEqualTo(config.podUid());
        assertThat(status.namespace()).isEqualTo(config.namespace());
        assertThat(status.name()).isEqualTo(config.name());
        assertThat(status.labels()).containsEntry(RUN_LABEL, run);
    }

    @Test
    void sandboxesAreListedByLabel() throws Exception {
        String id = runSandbox(sandboxConfig("listed"));

        assertThat(runtime.listPodSandboxes(PodSandboxFilter.withLabels(Map.of(RUN_LABEL, run))))
                .extracting(PodSandboxSummary::id)
                .containsExactly(id);
        assertThat(runtime.listPodSandboxes(PodSandboxFilter.withLabels(Map.of(RUN_LABEL, run + "-other"))))
                .isEmpty();
    }

    @Test
    void stoppingTwiceLeavesItNotReady() throws Exception {
        String id = runSandbox(sandboxConfig("stopped"));

        runtime.stopPodSandbox(id);
        runtime.stopPodSandbox(id);

        assertThat(runtime.podSandboxStatus(id).state()).isEqualTo(PodSandboxState.NOTREADY);
    }

    @Test
    void removingTwiceLeavesNothing() throws Exception {
        String id = runSandbox(sandboxConfig("removed"));
        runtime.stopPodSandbox(id);

        runtime.removePodSandbox(id);
        runtime.removePodSandbox(id);

        assertFailsWith(ErrorCode.NOT_FOUND, () -> runtime.podSandboxStatus(id));
        assertThat(runtime.listPodSandboxes(PodSandboxFilter.withLabels(Map.of(RUN_LABEL, run))))
                .isEmpty();
    }

    @Test
    void stoppingOrRemovingWhatDoesNotExistSucceeds() throws Exception {
        runtime.stopPodSandbox("no-such-sandbox-" + run);
        runtime.removePodSandbox("no-such-sandbox-" + run);
        assertFailsWith(ErrorCode.NOT_FOUND, () -> runtime.podSandboxStatus("no-such-sandbox-" + run));
    }
}

package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeVersion;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodSandboxIT extends PodmanTestBase {

    @Test
    void reportsPodmanVersion() throws ProviderException {
        RuntimeVersion version = runtime.version();

        assertThat(version.runtimeName()).isEqualTo("podman");
        assertThat(version.runtimeVersion()).startsWith("4.");
    }

    @Test
    void sandboxRunsWithAnAddressThenStopsAndIsRemoved() throws ProviderException {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        PodSandboxConfig config =
                sandbox("web").attempt(1).annotation("note", "kept").build();

        String id = runtime.runPodSandbox(config);

        PodSandboxStatus status = runtime.podSandboxStatus(id);
        assertThat(status.state()).isEqualTo(PodSandboxState.READY);
        assertThat(status.ipAddresses()).singleElement().asString().startsWith("10.88.");
        assertThat(status.podUid()).isEqualTo(config.podUid());
        assertThat(status.namespace()).isEqualTo("petlet-test");
        assertThat(status.name()).isEqualTo("web");
        assertThat(status.attempt()).isEqualTo(1);
        assertThat(status.createdAt()).isAfterOrEqualTo(before);
        assertThat(status.annotations()).isEqualTo(Map.of("note", "kept"));
        assertThat(status.labels())
                .containsEntry("io.petlet.pod.uid", config.podUid())
                .containsEntry(RUN_LABEL, run);

        runtime.stopPodSandbox(id);
        assertThat(runtime.podSandboxStatus(id).state()).isEqualTo(PodSandboxState.NOTREADY);
        assertThat(runtime.podSandboxStatus(id).ipAddresses()).isEmpty();
        runtime.stopPodSandbox(id);

        runtime.removePodSandbox(id);
        assertThat(codeOf(() -> runtime.podSandboxStatus(id))).isEqualTo(ErrorCode.NOT_FOUND);
        runtime.removePodSandbox(id);
        runtime.stopPodSandbox(id);
    }

    @Test
    void stoppingStopsEveryContainerEvenWhenSomeHaveExited() throws ProviderException {
        PodSandboxConfig config = sandbox("mixed").build();
        String id = runtime.runPodSandbox(config);
        String exited = runtime.createContainer(id, shell("exited", "exit 0").build(), config);
        String running =
                runtime.createContainer(id, shell("running", "sleep 300").build(), config);
        runtime.startContainer(exited);
        runtime.startContainer(running);
        awaitState(exited, ContainerState.EXITED);

        runtime.stopPodSandbox(id);

        assertThat(runtime.podSandboxStatus(id).state()).isEqualTo(PodSandboxState.NOTREADY);
        assertThat(runtime.containerStatus(running).state()).isEqualTo(ContainerState.EXITED);
    }

    @Test
    void listsSandboxesByLabelWithTheirState() throws ProviderException {
        PodSandboxConfig first = sandbox("first").label("tier", "a").build();
        PodSandboxConfig second = sandbox("second").label("tier", "b").build();
        String firstId = runtime.runPodSandbox(first);
        String secondId = runtime.runPodSandbox(second);
        runtime.stopPodSandbox(secondId);

        assertThat(runtime.listPodSandboxes(PodSandboxFilter.withLabels(Map.of(RUN_LABEL, run, "tier", "a"))))
                .singleElement()
                .satisfies(sandbox -> {
                    assertThat(sandbox.id()).isEqualTo(firstId);
                    assertThat(sandbox.state()).isEqualTo(PodSandboxState.READY);
                    assertThat(sandbox.podUid()).isEqualTo(first.podUid());
                });
        assertThat(runtime.listPodSandboxes(
                        new PodSandboxFilter(null, PodSandboxState.NOTREADY, Map.of(RUN_LABEL, run))))
                .extracting(PodSandboxSummary::id)
                .containsExactly(secondId);
    }

    @Test
    void hostNetworkSandboxHasNoOwnAddress() throws ProviderException {
        String id = runtime.runPodSandbox(sandbox("host").hostNetwork(true).build());

        PodSandboxStatus status = runtime.podSandboxStatus(id);
        assertThat(status.state()).isEqualTo(PodSandboxState.READY);
        assertThat(status.hostNetwork()).isTrue();
        assertThat(status.ipAddresses()).isEmpty();
    }

    @Test
    void sameSandboxTwiceAlreadyExists() throws ProviderException {
        PodSandboxConfig config = sandbox("twice").build();
        runtime.runPodSandbox(config);

        assertThat(codeOf(() -> runtime.runPodSandbox(config))).isEqualTo(ErrorCode.ALREADY_EXISTS);
    }

    @Test
    void unknownSandboxIsNotFound() {
        assertThat(codeOf(() -> runtime.podSandboxStatus("0123456789abcdef"))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(codeOf(() -> runtime.podSandboxStatus("../etc"))).isEqualTo(ErrorCode.INVALID);
    }
}

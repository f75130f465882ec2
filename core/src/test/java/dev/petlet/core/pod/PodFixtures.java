package dev.petlet.core.pod;

import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Plain values for planner and status tests. */
final class PodFixtures {
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final String UID = "0c7a5b1e-0000-4000-8000-000000000001";

    private PodFixtures() {}

    static PodBuilder pod(String restartPolicy, String... containers) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("shop")
                .withUid(UID)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy(restartPolicy)
                .withNodeName("pet")
                .endSpec();
        for (String container : containers) {
            pod.editSpec()
                    .addNewContainer()
                    .withName(container)
                    .withImage("registry.local/" + container + ":1")
                    .endContainer()
                    .endSpec();
        }
        return pod;
    }

    /** A pod with one app container and init containers; names starting with "sidecar" are native sidecars. */
    static Pod withInit(String restartPolicy, String... init) {
        PodBuilder pod = pod(restartPolicy, "app");
        for (String name : init) {
            pod.editSpec()
                    .addNewInitContainer()
                    .withName(name)
                    .withImage("registry.local/" + name + ":1")
                    .withRestartPolicy(name.startsWith("sidecar") ? "Always" : null)
                    .endInitContainer()
                    .endSpec();
        }
        return pod.build();
    }

    /** What the runtime holds with a ready sandbox and these containers. */
    static ObservedPod inReadySandbox(ContainerStatus... containers) {
        return new ObservedPod(List.of(sandbox(PodSandboxState.READY, 0)), List.of(containers));
    }

    static PodSandboxStatus sandbox(PodSandboxState state, int attempt) {
        return new PodSandboxStatus(
                "sandbox-" + attempt,
                UID,
                "shop",
                "web",
                attempt,
                state,
                T0,
                List.of("10.88.0.7"),
                false,
                Map.of(),
                Map.of());
    }

    static ContainerStatus running(String name, int attempt, Instant startedAt) {
        return container(name, attempt, ContainerState.RUNNING, startedAt, null, null, null);
    }

    static ContainerStatus exited(
            String name, int attempt, Instant startedAt, Instant finishedAt, int exitCode, String reason) {
        return container(name, attempt, ContainerState.EXITED, startedAt, finishedAt, exitCode, reason);
    }

    static ContainerStatus container(
            String name,
            int attempt,
            ContainerState state,
            Instant startedAt,
            Instant finishedAt,
            Integer exitCode,
            String reason) {
        return new ContainerStatus(
                name + "-" + attempt,
                "sandbox-0",
                name,
                attempt,
                state,
                T0,
                startedAt,
                finishedAt,
                exitCode,
                reason,
                null,
                "registry.local/" + name + ":1",
                "sha256:abc",
                Map.of(),
                Map.of(),
                null);
    }

    static Pod withStatusPhase(Pod pod, String phase) {
        return new PodBuilder(pod)
                .withNewStatus()
                .withPhase(phase)
                .withStartTime(T0.toString())
                .endStatus()
                .build();
    }
}

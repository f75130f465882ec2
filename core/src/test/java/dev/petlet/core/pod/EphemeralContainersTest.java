package dev.petlet.core.pod;

import static dev.petlet.core.pod.PodFixtures.T0;
import static dev.petlet.core.pod.PodFixtures.exited;
import static dev.petlet.core.pod.PodFixtures.pod;
import static dev.petlet.core.pod.PodFixtures.running;
import static dev.petlet.core.pod.PodFixtures.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.PodSandboxState;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class EphemeralContainersTest {
    private final PodActionPlanner planner = new PodActionPlanner(new RestartBackoff());

    private static Pod withDebugger() {
        return pod("Always", "app")
                .editSpec()
                .addNewEphemeralContainer()
                .withName("debugger")
                .withImage("registry.local/busybox:1")
                .withTargetContainerName("app")
                .withStdin(true)
                .endEphemeralContainer()
                .endSpec()
                .build();
    }

    @Test
    void anEphemeralContainerStartsOnceInARunningPodAndIsNeverRestarted() {
        ObservedPod runningApp =
                new ObservedPod(List.of(sandbox(PodSandboxState.READY, 0)), List.of(running("app", 0, T0)));
        assertThat(planner.plan(withDebugger(), runningApp, T0).actions())
                .containsExactly(new PodAction.StartContainer("debugger", 0));

        ObservedPod debuggerExited = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(running("app", 0, T0), exited("debugger", 0, T0, T0.plusSeconds(1), 1, "Error")));
        assertThat(planner.plan(withDebugger(), debuggerExited, T0.plusSeconds(600))
                        .actions())
                .isEmpty();
    }

    @Test
    void aNewSandboxDoesNotBringEphemeralContainersBack() {
        assertThat(planner.plan(withDebugger(), ObservedPod.NOTHING, T0).actions())
                .containsExactly(new PodAction.CreateSandbox(0), new PodAction.StartContainer("app", 0));
    }

    @Test
    void theStatusListsEphemeralContainersApartFromTheAppContainers() {
        ObservedPod observed = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(running("app", 0, T0), running("debugger", 0, T0.plusSeconds(5))));
        Pod pod = withDebugger();
        var status = new PodStatusComputer("podman")
                .compute(
                        pod,
                        observed,
                        planner.plan(pod, observed, T0),
                        java.util.Map.of(),
                        java.util.Map.of(),
                        "192.0.2.2",
                        T0.plusSeconds(6));
        assertThat(status.getContainerStatuses()).extracting("name").containsExactly("app");
        assertThat(status.getEphemeralContainerStatuses()).hasSize(1);
        var debugger = status.getEphemeralContainerStatuses().get(0);
        assertThat(debugger.getName()).isEqualTo("debugger");
        assertThat(debugger.getState().getRunning()).isNotNull();
        assertThat(debugger.getImage()).isEqualTo("registry.local/busybox:1");
    }
}

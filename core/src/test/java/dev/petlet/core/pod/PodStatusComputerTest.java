package dev.petlet.core.pod;

import static dev.petlet.core.pod.PodFixtures.T0;
import static dev.petlet.core.pod.PodFixtures.exited;
import static dev.petlet.core.pod.PodFixtures.pod;
import static dev.petlet.core.pod.PodFixtures.running;
import static dev.petlet.core.pod.PodFixtures.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.PodSandboxState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodStatusComputerTest {
    private final PodStatusComputer computer = new PodStatusComputer("podman");
    private final PodActionPlanner planner = new PodActionPlanner(new RestartBackoff());

    private PodStatus compute(Pod pod, ObservedPod observed, Map<String, WaitingReason> notes) {
        return computer.compute(
                pod,
                observed,
                planner.plan(pod, observed, T0.plusSeconds(5)),
                notes,
                Map.of(),
                "192.168.1.10",
                T0.plusSeconds(5));
    }

    @Test
    void aRunningPodIsReadyWithItsIpsAndIds() {
        Pod pod = new PodBuilder(pod("Always", "zeta", "alpha").build())
                .withNewStatus()
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
        ObservedPod observed = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)), List.of(running("zeta", 0, T0), running("alpha", 0, T0)));
        PodStatus status = compute(pod, observed, Map.of());

        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(status.getPodIP()).isEqualTo("10.88.0.7");
        assertThat(status.getHostIP()).isEqualTo("192.168.1.10");
        assertThat(status.getQosClass()).isEqualTo("BestEffort");
        assertThat(status.getContainerStatuses())
                .extracting(ContainerStatus::getName)
                .containsExactly("alpha", "zeta");
        ContainerStatus alpha = status.getContainerStatuses().get(0);
        assertThat(alpha.getContainerID()).isEqualTo("podman://alpha-0");
        assertThat(alpha.getReady()).isTrue();
        assertThat(alpha.getStarted()).isTrue();
        assertThat(alpha.getState().getRunning().getStartedAt()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(conditions(status))
                .containsEntry("Ready", "True")
                .containsEntry("ContainersReady", "True")
                .containsEntry("Initialized", "True")
                .containsEntry("PodReadyToStartContainers", "True")
                .containsEntry("PodScheduled", "True");
    }

    @Test
    void aContainerWhoseImageCannotBePulledKeepsThePodPending() {
        Pod pod = pod("Always", "app").build();
        ObservedPod observed = new ObservedPod(List.of(sandbox(PodSandboxState.READY, 0)), List.of());
        PodStatus status = compute(
                pod, observed, Map.of("app", new WaitingReason("ImagePullBackOff", "Back-off pulling image \"x\"")));
        assertThat(status.getPhase()).isEqualTo("Pending");
        assertThat(status.getContainerStatuses().get(0).getState().getWaiting().getReason())
                .isEqualTo("ImagePullBackOff");
        PodCondition ready = status.getConditions().stream()
                .filter(c -> c.getType().equals("Ready"))
                .findFirst()
                .orElseThrow();
        assertThat(ready.getReason()).isEqualTo("ContainersNotReady");
        assertThat(ready.getMessage()).isEqualTo("containers with unready status: [app]");
    }

    @Test
    void aCrashLoopShowsTheBackOffAndTheLastTermination() {
        Pod pod = pod("Always", "app").build();
        ObservedPod observed = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(exited("app", 2, T0, T0.plusSeconds(1), 3, "Error")));
        ContainerStatus app =
                compute(pod, observed, Map.of()).getContainerStatuses().get(0);
        assertThat(app.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(app.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(app.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(app.getRestartCount()).isEqualTo(2);
        assertThat(compute(pod, observed, Map.of()).getPhase()).isEqualTo("Running");
    }

    @Test
    void podsThatDoNotRestartEndSucceededOrFailed() {
        ObservedPod succeeded = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(exited("app", 0, T0, T0.plusSeconds(1), 0, "Completed")));
        ObservedPod failed = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(exited("app", 0, T0, T0.plusSeconds(1), 137, "OOMKilled")));
        PodStatus done = compute(pod("Never", "app").build(), succeeded, Map.of());
        assertThat(done.getPhase()).isEqualTo("Succeeded");
        assertThat(conditions(done)).containsEntry("Ready", "False");
        assertThat(done.getConditions().stream()
                        .filter(c -> c.getType().equals("Ready"))
                        .findFirst()
                        .orElseThrow()
                        .getReason())
                .isEqualTo("PodCompleted");
        assertThat(compute(pod("OnFailure", "app").build(), succeeded, Map.of()).getPhase())
                .isEqualTo("Succeeded");
        PodStatus oom = compute(pod("Never", "app").build(), failed, Map.of());
        assertThat(oom.getPhase()).isEqualTo("Failed");
        assertThat(oom.getContainerStatuses().get(0).getState().getTerminated().getReason())
                .isEqualTo("OOMKilled");
    }

    @Test
    void anExceededDeadlineFailsThePod() {
        Pod pod = new PodBuilder(PodFixtures.withStatusPhase(pod("Never", "app").build(), "Running"))
                .editSpec()
                .withActiveDeadlineSeconds(1L)
                .endSpec()
                .build();
        ObservedPod observed =
                new ObservedPod(List.of(sandbox(PodSandboxState.READY, 0)), List.of(running("app", 0, T0)));
        PodStatus status = compute(pod, observed, Map.of());
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(status.getReason()).isEqualTo("DeadlineExceeded");
    }

    @Test
    void theTerminationMessageIsReported() {
        Pod pod = pod("Never", "app").build();
        ObservedPod observed = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(exited("app", 0, T0, T0.plusSeconds(1), 2, "Error")));
        PodStatus status = computer.compute(
                pod,
                observed,
                planner.plan(pod, observed, T0),
                Map.of(),
                Map.of("app-0", "disk full"),
                "192.168.1.10",
                T0);
        assertThat(status.getContainerStatuses()
                        .get(0)
                        .getState()
                        .getTerminated()
                        .getMessage())
                .isEqualTo("disk full");
    }

    @Test
    void qualityOfServiceFollowsRequestsAndLimits() {
        Pod guaranteed = pod("Always", "app")
                .editSpec()
                .editContainer(0)
                .withNewResources()
                .withLimits(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("64Mi")))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        Pod burstable = pod("Always", "app")
                .editSpec()
                .editContainer(0)
                .withNewResources()
                .withRequests(Map.of("memory", new Quantity("64Mi")))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        assertThat(QualityOfService.of(guaranteed)).isEqualTo("Guaranteed");
        assertThat(QualityOfService.of(burstable)).isEqualTo("Burstable");
        assertThat(QualityOfService.of(pod("Always", "app").build())).isEqualTo("BestEffort");
    }

    private static Map<String, String> conditions(PodStatus status) {
        return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
                .collect(java.util.stream.Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
    }
}

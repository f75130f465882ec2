package dev.petlet.core.pod;

import static dev.petlet.core.pod.PodFixtures.T0;
import static dev.petlet.core.pod.PodFixtures.exited;
import static dev.petlet.core.pod.PodFixtures.inReadySandbox;
import static dev.petlet.core.pod.PodFixtures.pod;
import static dev.petlet.core.pod.PodFixtures.running;
import static dev.petlet.core.pod.PodFixtures.withInit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.probe.ContainerHealth;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pod status with init containers, sidecars and probes, read the way kubectl reads it. */
class InitContainerStatusTest {
    private final PodStatusComputer computer = new PodStatusComputer("podman");
    private final PodActionPlanner planner = new PodActionPlanner(new RestartBackoff());

    private PodStatus compute(Pod pod, ObservedPod observed, ContainerHealth health) {
        return computer.compute(
                pod,
                observed,
                planner.plan(pod, observed, T0.plusSeconds(5), health),
                Map.of(),
                Map.of(),
                "192.168.1.10",
                T0.plusSeconds(5),
                health);
    }

    @Test
    void whileTheFirstInitContainerRunsEverythingElseIsPodInitializing() {
        PodStatus status =
                compute(withInit("Always", "one", "two"), inReadySandbox(running("one", 0, T0)), ContainerHealth.NONE);
        assertThat(status.getPhase()).isEqualTo("Pending");
        assertThat(status.getInitContainerStatuses())
                .extracting(ContainerStatus::getName)
                .containsExactly("one", "two");
        assertThat(status.getInitContainerStatuses().get(0).getState().getRunning())
                .isNotNull();
        assertThat(status.getInitContainerStatuses().get(0).getReady()).isFalse();
        assertThat(status.getInitContainerStatuses()
                        .get(1)
                        .getState()
                        .getWaiting()
                        .getReason())
                .isEqualTo("PodInitializing");
        assertThat(status.getContainerStatuses().get(0).getState().getWaiting().getReason())
                .isEqualTo("PodInitializing");
        PodCondition initialized = condition(status, "Initialized");
        assertThat(initialized.getStatus()).isEqualTo("False");
        assertThat(initialized.getReason()).isEqualTo("ContainersNotInitialized");
        assertThat(initialized.getMessage()).isEqualTo("containers with incomplete status: [one two]");
    }

    @Test
    void completedInitContainersAreReadyAndThePodInitialized() {
        PodStatus status = compute(
                withInit("Always", "one"),
                inReadySandbox(
                        exited("one", 0, T0, T0.plusSeconds(1), 0, "Completed"), running("app", 0, T0.plusSeconds(2))),
                ContainerHealth.NONE);
        assertThat(status.getPhase()).isEqualTo("Running");
        ContainerStatus one = status.getInitContainerStatuses().get(0);
        assertThat(one.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(one.getReady()).isTrue();
        assertThat(condition(status, "Initialized").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    }

    @Test
    void aFailedInitContainerInBackOffShowsCrashLoopBackOffAndKeepsThePodPending() {
        PodStatus status = compute(
                withInit("Always", "one"),
                inReadySandbox(exited("one", 0, T0, T0.plusSeconds(1), 3, "Error")),
                ContainerHealth.NONE);
        assertThat(status.getPhase()).isEqualTo("Pending");
        ContainerStatus one = status.getInitContainerStatuses().get(0);
        assertThat(one.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(one.getLastState().getTerminated().getExitCode()).isEqualTo(3);
    }

    @Test
    void aFailedInitContainerFailsANeverRestartingPod() {
        PodStatus status = compute(
                withInit("Never", "one"),
                inReadySandbox(exited("one", 0, T0, T0.plusSeconds(1), 3, "Error")),
                ContainerHealth.NONE);
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(status.getInitContainerStatuses()
                        .get(0)
                        .getState()
                        .getTerminated()
                        .getReason())
                .isEqualTo("Error");
    }

    @Test
    void aRunningSidecarCountsInReadinessOnlyOnceItsProbesSaySo() {
        Pod pod = new PodBuilder(withInit("Always", "sidecar"))
                .editSpec()
                .editFirstInitContainer()
                .withReadinessProbe(new ProbeBuilder()
                        .withNewTcpSocket()
                        .withNewPort(80)
                        .endTcpSocket()
                        .build())
                .endInitContainer()
                .endSpec()
                .build();
        ObservedPod both = inReadySandbox(running("sidecar", 0, T0), running("app", 0, T0));
        PodStatus unready = compute(pod, both, ContainerHealth.NONE);
        assertThat(unready.getInitContainerStatuses().get(0).getReady()).isFalse();
        assertThat(unready.getInitContainerStatuses().get(0).getStarted()).isTrue();
        assertThat(condition(unready, "ContainersReady").getStatus()).isEqualTo("False");
        assertThat(condition(unready, "ContainersReady").getMessage())
                .isEqualTo("containers with unready status: [sidecar]");

        PodStatus ready = compute(pod, both, new ContainerHealth(Map.of(), Map.of("sidecar-0", true), Map.of()));
        assertThat(ready.getInitContainerStatuses().get(0).getReady()).isTrue();
        assertThat(condition(ready, "Ready").getStatus()).isEqualTo("True");
        assertThat(ready.getPhase()).isEqualTo("Running");
    }

    @Test
    void aRestartingSidecarDoesNotSendARunningPodBackToPending() {
        Pod pod = new PodBuilder(withInit("Always", "sidecar"))
                .editSpec()
                .editFirstInitContainer()
                .withStartupProbe(new ProbeBuilder()
                        .withNewTcpSocket()
                        .withNewPort(80)
                        .endTcpSocket()
                        .build())
                .endInitContainer()
                .endSpec()
                .build();
        PodStatus starting = compute(pod, inReadySandbox(running("sidecar", 0, T0)), ContainerHealth.NONE);
        assertThat(starting.getPhase()).isEqualTo("Pending");
        PodStatus restarting = compute(
                pod,
                inReadySandbox(
                        exited("sidecar", 0, T0, T0.plusSeconds(2), 0, "Completed"),
                        running("sidecar", 1, T0.plusSeconds(3)),
                        running("app", 0, T0.plusSeconds(1))),
                ContainerHealth.NONE);
        assertThat(restarting.getPhase()).isEqualTo("Running");
        assertThat(restarting.getInitContainerStatuses().get(0).getStarted()).isFalse();
    }

    @Test
    void aStartupProbeKeepsAContainerUnstartedAndUnready() {
        Pod pod = new PodBuilder(pod("Always", "app").build())
                .editSpec()
                .editFirstContainer()
                .withStartupProbe(new ProbeBuilder()
                        .withNewTcpSocket()
                        .withNewPort(80)
                        .endTcpSocket()
                        .build())
                .endContainer()
                .endSpec()
                .build();
        ObservedPod app = inReadySandbox(running("app", 0, T0));
        ContainerStatus starting =
                compute(pod, app, ContainerHealth.NONE).getContainerStatuses().get(0);
        assertThat(starting.getStarted()).isFalse();
        assertThat(starting.getReady()).isFalse();
        ContainerStatus started = compute(pod, app, new ContainerHealth(Map.of("app-0", true), Map.of(), Map.of()))
                .getContainerStatuses()
                .get(0);
        assertThat(started.getStarted()).isTrue();
        assertThat(started.getReady()).isTrue();
    }

    private static PodCondition condition(PodStatus status, String type) {
        return status.getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }
}

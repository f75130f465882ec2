package dev.petlet.core.pod;

import static dev.petlet.core.pod.PodFixtures.T0;
import static dev.petlet.core.pod.PodFixtures.exited;
import static dev.petlet.core.pod.PodFixtures.inReadySandbox;
import static dev.petlet.core.pod.PodFixtures.pod;
import static dev.petlet.core.pod.PodFixtures.running;
import static dev.petlet.core.pod.PodFixtures.withInit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.probe.ContainerHealth;
import dev.petlet.core.probe.ProbeKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitContainerPlannerTest {
    private final PodActionPlanner planner = new PodActionPlanner(new RestartBackoff());

    @Test
    void aNewPodStartsOnlyItsFirstInitContainer() {
        PodPlan plan = planner.plan(withInit("Always", "one", "two"), ObservedPod.NOTHING, T0);
        assertThat(plan.actions())
                .containsExactly(new PodAction.CreateSandbox(0), new PodAction.StartContainer("one", 0));
    }

    @Test
    void theNextInitContainerStartsOnlyWhenThePreviousOneSucceeded() {
        Pod pod = withInit("Always", "one", "two");
        assertThat(planner.plan(pod, inReadySandbox(running("one", 0, T0)), T0).actions())
                .isEmpty();
        assertThat(planner.plan(pod, inReadySandbox(exited("one", 0, T0, T0.plusSeconds(1), 0, "Completed")), T0)
                        .actions())
                .containsExactly(new PodAction.StartContainer("two", 0));
    }

    @Test
    void appContainersStartOnceEveryInitContainerCompleted() {
        Pod pod = withInit("Always", "one", "two");
        ObservedPod done = inReadySandbox(
                exited("one", 0, T0, T0.plusSeconds(1), 0, "Completed"),
                exited("two", 0, T0, T0.plusSeconds(2), 0, "Completed"));
        assertThat(planner.plan(pod, done, T0.plusSeconds(3)).actions())
                .containsExactly(new PodAction.StartContainer("app", 0));
    }

    @Test
    void initContainersDoNotRunAgainOnceAnAppContainerRan() {
        Pod pod = withInit("Always", "one");
        ObservedPod initialized = inReadySandbox(
                exited("one", 0, T0, T0.plusSeconds(1), 0, "Completed"), running("app", 0, T0.plusSeconds(2)));
        assertThat(planner.plan(pod, initialized, T0.plusSeconds(60)).actions()).isEmpty();
    }

    @Test
    void aFailedInitContainerIsRestartedWithBackOffAndHoldsTheAppBack() {
        Pod pod = withInit("Always", "one", "two");
        ObservedPod failed = inReadySandbox(exited("one", 0, T0, T0.plusSeconds(1), 3, "Error"));
        PodPlan waiting = planner.plan(pod, failed, T0.plusSeconds(5));
        assertThat(waiting.actions()).isEmpty();
        assertThat(waiting.waiting().get("one").reason()).isEqualTo("CrashLoopBackOff");
        assertThat(waiting.resyncAt()).contains(T0.plusSeconds(11));
        assertThat(planner.plan(pod, failed, T0.plusSeconds(11)).actions())
                .containsExactly(new PodAction.StartContainer("one", 1));
    }

    @Test
    void aFailedInitContainerOfANeverRestartingPodIsNotRestarted() {
        Pod pod = withInit("Never", "one");
        ObservedPod failed = inReadySandbox(exited("one", 0, T0, T0.plusSeconds(1), 3, "Error"));
        assertThat(planner.plan(pod, failed, T0.plusSeconds(60)).actions()).isEmpty();
    }

    @Test
    void aSidecarMustHaveStartedBeforeTheNextInitContainer() {
        Pod pod = new PodBuilder(withInit("Always", "sidecar", "two"))
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
        ObservedPod sidecarRunning = inReadySandbox(running("sidecar", 0, T0));
        assertThat(planner.plan(pod, sidecarRunning, T0).actions()).isEmpty();
        ContainerHealth started = new ContainerHealth(Map.of("sidecar-0", true), Map.of(), Map.of());
        assertThat(planner.plan(pod, sidecarRunning, T0, started).actions())
                .containsExactly(new PodAction.StartContainer("two", 0));
    }

    @Test
    void aSidecarThatExitsIsRestartedWhileTheAppRuns() {
        Pod pod = withInit("Never", "sidecar");
        ObservedPod sidecarExited = inReadySandbox(
                exited("sidecar", 0, T0, T0.plusSeconds(30), 0, "Completed"), running("app", 0, T0.plusSeconds(1)));
        PodPlan plan = planner.plan(pod, sidecarExited, T0.plusSeconds(41));
        assertThat(plan.actions()).containsExactly(new PodAction.StartContainer("sidecar", 1));
    }

    @Test
    void sidecarsStopAfterTheAppContainersInReverseOrder() {
        Pod pod = new PodBuilder(withInit("Always", "sidecar-a", "sidecar-b"))
                .editMetadata()
                .withDeletionTimestamp(T0.toString())
                .withDeletionGracePeriodSeconds(5L)
                .endMetadata()
                .build();
        ObservedPod all =
                inReadySandbox(running("sidecar-a", 0, T0), running("sidecar-b", 0, T0), running("app", 0, T0));
        List<String> stopped = new ArrayList<>();
        for (PodAction action : planner.plan(pod, all, T0.plusSeconds(60)).actions()) {
            if (action instanceof PodAction.KillContainer kill) {
                stopped.add(kill.name());
                assertThat(kill.grace()).isEqualTo(Duration.ofSeconds(5));
            }
        }
        assertThat(stopped).containsExactly("app", "sidecar-b", "sidecar-a");
    }

    @Test
    void aContainerThatFailedItsLivenessProbeIsKilledAndStartedAgain() {
        Pod pod = pod("Always", "app").build();
        ContainerHealth failed = new ContainerHealth(Map.of(), Map.of(), Map.of("app-0", ProbeKind.LIVENESS));
        PodPlan plan = planner.plan(pod, inReadySandbox(running("app", 0, T0)), T0.plusSeconds(30), failed);
        assertThat(plan.actions())
                .containsExactly(
                        new PodAction.KillContainer(
                                "app-0",
                                "app",
                                Duration.ofSeconds(30),
                                "Container app failed liveness probe, will be restarted"),
                        new PodAction.StartContainer("app", 1));
        PodPlan never = planner.plan(
                pod("Never", "app").build(), inReadySandbox(running("app", 0, T0)), T0.plusSeconds(30), failed);
        assertThat(never.actions()).hasSize(1).first().isInstanceOf(PodAction.KillContainer.class);
    }
}

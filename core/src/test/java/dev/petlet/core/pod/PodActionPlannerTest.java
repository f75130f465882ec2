package dev.petlet.core.pod;

import static dev.petlet.core.pod.PodFixtures.T0;
import static dev.petlet.core.pod.PodFixtures.exited;
import static dev.petlet.core.pod.PodFixtures.pod;
import static dev.petlet.core.pod.PodFixtures.running;
import static dev.petlet.core.pod.PodFixtures.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.PodSandboxState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodActionPlannerTest {
    private final RestartBackoff backoff = new RestartBackoff();
    private final PodActionPlanner planner = new PodActionPlanner(backoff);

    @Test
    void aNewPodGetsASandboxThenItsContainers() {
        PodPlan plan = planner.plan(pod("Always", "app", "sidecar").build(), ObservedPod.NOTHING, T0);
        assertThat(plan.actions())
                .containsExactly(
                        new PodAction.CreateSandbox(0),
                        new PodAction.StartContainer("app", 0),
                        new PodAction.StartContainer("sidecar", 0));
        assertThat(plan.stopping()).isFalse();
    }

    @Test
    void aRunningPodNeedsNothing() {
        ObservedPod observed =
                new ObservedPod(List.of(sandbox(PodSandboxState.READY, 0)), List.of(running("app", 0, T0)));
        assertThat(planner.plan(pod("Always", "app").build(), observed, T0.plusSeconds(60))
                        .actions())
                .isEmpty();
    }

    @Test
    void aCrashedContainerWaitsOutItsBackOffThenRestartsWithTheNextCount() {
        ObservedPod observed = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(exited("app", 0, T0, T0.plusSeconds(1), 1, "Error")));
        Pod pod = pod("Always", "app").build();

        PodPlan waiting = planner.plan(pod, observed, T0.plusSeconds(5));
        assertThat(waiting.actions()).isEmpty();
        assertThat(waiting.waiting().get("app").reason()).isEqualTo("CrashLoopBackOff");
        assertThat(waiting.waiting().get("app").message())
                .isEqualTo("back-off 10s restarting failed container=app pod=web_shop(" + PodFixtures.UID + ")");
        assertThat(waiting.resyncAt()).contains(T0.plusSeconds(11));

        assertThat(planner.plan(pod, observed, T0.plusSeconds(11)).actions())
                .containsExactly(new PodAction.StartContainer("app", 1));
    }

    @Test
    void theBackOffDoublesWithEachRestartAndStopsAtFiveMinutes() {
        assertThat(RestartBackoff.delay(0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(RestartBackoff.delay(1)).isEqualTo(Duration.ofSeconds(20));
        assertThat(RestartBackoff.delay(4)).isEqualTo(Duration.ofSeconds(160));
        assertThat(RestartBackoff.delay(5)).isEqualTo(Duration.ofSeconds(300));
        assertThat(RestartBackoff.delay(50)).isEqualTo(Duration.ofSeconds(300));

        backoff.restarted(PodFixtures.UID, "app");
        backoff.restarted(PodFixtures.UID, "app");
        assertThat(backoff.restartAllowedAt(PodFixtures.UID, "app", T0, T0.plusSeconds(1)))
                .isEqualTo(T0.plusSeconds(41));
        // ten minutes of running resets the sequence
        assertThat(backoff.restartAllowedAt(PodFixtures.UID, "app", T0, T0.plusSeconds(600)))
                .isEqualTo(T0.plusSeconds(610));
    }

    @Test
    void restartPoliciesDecideWhetherAnExitedContainerComesBack() {
        ObservedPod success = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(exited("app", 0, T0, T0.plusSeconds(1), 0, "Completed")));
        ObservedPod failure = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(exited("app", 0, T0, T0.plusSeconds(1), 3, "Error")));
        var later = T0.plusSeconds(60);
        assertThat(planner.plan(pod("Never", "app").build(), failure, later).actions())
                .isEmpty();
        assertThat(planner.plan(pod("OnFailure", "app").build(), success, later).actions())
                .isEmpty();
        assertThat(planner.plan(pod("OnFailure", "app").build(), failure, later).actions())
                .containsExactly(new PodAction.StartContainer("app", 1));
        assertThat(planner.plan(pod("Always", "app").build(), success, later).actions())
                .containsExactly(new PodAction.StartContainer("app", 1));
    }

    @Test
    void aDeletedPodIsStoppedWithItsDeletionGracePeriod() {
        Pod pod = pod("Always", "app")
                .editMetadata()
                .withDeletionTimestamp(T0.toString())
                .withDeletionGracePeriodSeconds(7L)
                .endMetadata()
                .build();
        ObservedPod observed =
                new ObservedPod(List.of(sandbox(PodSandboxState.READY, 0)), List.of(running("app", 0, T0)));
        PodPlan plan = planner.plan(pod, observed, T0);
        assertThat(plan.stopping()).isTrue();
        // No sandbox stop: the worker removes the sandbox, with its containers, once none runs.
        assertThat(plan.actions())
                .containsExactly(
                        new PodAction.KillContainer("app-0", "app", Duration.ofSeconds(7), "Stopping container app"));
    }

    @Test
    void aFinishedPodsSandboxIsStoppedNotRemoved() {
        Pod pod = PodFixtures.withStatusPhase(pod("Never", "app").build(), "Succeeded");
        ObservedPod observed = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(exited("app", 0, T0, T0.plusSeconds(1), 0, "Completed")));

        PodPlan plan = planner.plan(pod, observed, T0.plusSeconds(2));

        // Its containers stay for `kubectl logs`; only a deletion removes them.
        assertThat(plan.actions()).containsExactly(new PodAction.StopSandbox("sandbox-0"));
    }

    @Test
    void aPodPastItsActiveDeadlineIsStopped() {
        Pod pod = new PodBuilder(PodFixtures.withStatusPhase(pod("Never", "app").build(), "Running"))
                .editSpec()
                .withActiveDeadlineSeconds(30L)
                .endSpec()
                .build();
        ObservedPod observed =
                new ObservedPod(List.of(sandbox(PodSandboxState.READY, 0)), List.of(running("app", 0, T0)));
        assertThat(planner.plan(pod, observed, T0.plusSeconds(29)).deadlineExceeded())
                .isFalse();
        PodPlan plan = planner.plan(pod, observed, T0.plusSeconds(30));
        assertThat(plan.deadlineExceeded()).isTrue();
        assertThat(plan.actions()).first().isInstanceOf(PodAction.KillContainer.class);
    }

    @Test
    void aLostSandboxMeansANewSandboxAndRestartedContainers() {
        ObservedPod observed =
                new ObservedPod(List.of(sandbox(PodSandboxState.NOTREADY, 0)), List.of(running("app", 2, T0)));
        assertThat(planner.plan(pod("Always", "app").build(), observed, T0).actions())
                .containsExactly(
                        new PodAction.KillContainer(
                                "app-2",
                                "app",
                                Duration.ofSeconds(30),
                                "Stopping container app: the pod sandbox changed"),
                        new PodAction.CreateSandbox(1),
                        new PodAction.StartContainer("app", 3));
    }

    @Test
    void onlyTheCurrentAndPreviousInstancesAreKept() {
        ObservedPod observed = new ObservedPod(
                List.of(sandbox(PodSandboxState.READY, 0)),
                List.of(
                        running("app", 3, T0),
                        exited("app", 2, T0, T0, 1, "Error"),
                        exited("app", 1, T0, T0, 1, "Error"),
                        exited("app", 0, T0, T0, 1, "Error")));
        assertThat(planner.plan(pod("Always", "app").build(), observed, T0).actions())
                .containsExactly(
                        new PodAction.RemoveContainer("app-1", "app"), new PodAction.RemoveContainer("app-0", "app"));
    }
}

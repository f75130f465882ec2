package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Pods ending on request: graceful deletion, the kill after the grace period, the active deadline. */
@SandboxE2E
@Tag("node-agent")
class DeletionE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-deletion");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    /** Runs {@code kubectl delete pod}, which waits until the pod is gone; returns how long that took. */
    private static Duration delete(String podName, int gracePeriodSeconds) {
        Instant start = Instant.now();
        namespace.kubectlOk("delete", "pod", podName, "--grace-period=" + gracePeriodSeconds, "--timeout=90s");
        Duration took = Duration.between(start, Instant.now());
        assertThat(namespace.pod(podName))
                .as("pod " + podName + " after kubectl delete")
                .isEmpty();
        return took;
    }

    private static void assertKilled(String podName) {
        Event killing = namespace.awaitEvent(podName, "Killing", "Stopping container app");
        assertThat(killing.getType()).isEqualTo("Normal");
        assertThat(killing.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(killing.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
    }

    @Test
    void aPodThatHandlesTermIsGoneOnceItExits() {
        namespace.apply(
                BusyboxPods.pod("graceful", "Always", "trap 'sleep 2; exit 0' TERM; while true; do sleep 1; done")
                        .build());
        namespace.awaitReady("graceful");

        Duration took = delete("graceful", 30);

        assertThat(took)
                .as("the container's 2 s of cleanup are waited for")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(took).as("but not the whole grace period").isLessThan(Duration.ofSeconds(20));
        assertKilled("graceful");
    }

    @Test
    void aPodThatIgnoresTermIsKilledAfterTheGracePeriod() {
        namespace.apply(BusyboxPods.pod("stubborn", "Always", "trap '' TERM; while true; do sleep 1; done")
                .build());
        namespace.awaitReady("stubborn");

        Duration took = delete("stubborn", 3);

        assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));
        assertKilled("stubborn");
    }

    @Test
    void aPodPastItsActiveDeadlineFails() {
        namespace.apply(BusyboxPods.pod("deadline", "Always", "trap 'exit 0' TERM; while true; do sleep 1; done")
                .editSpec()
                .withActiveDeadlineSeconds(5L)
                .endSpec()
                .build());
        namespace.awaitReady("deadline");

        Pod failed = namespace.awaitPod(
                "deadline",
                "to fail with DeadlineExceeded and its container to stop",
                pod -> "Failed".equals(pod.getStatus().getPhase())
                        && TestNamespace.container(pod)
                                .map(c -> c.getState().getTerminated() != null)
                                .orElse(false));

        assertThat(failed.getStatus().getReason()).isEqualTo("DeadlineExceeded");
        assertThat(failed.getStatus().getMessage())
                .isEqualTo("Pod was active on the node longer than the specified deadline");
        assertThat(namespace.kubectlOk("get", "pod", "deadline", "-o", "jsonpath={.status.phase} {.status.reason}"))
                .isEqualTo("Failed DeadlineExceeded");
        ContainerStateTerminated terminated =
                TestNamespace.container(failed).orElseThrow().getState().getTerminated();
        SoftAssertions.assertSoftly(softly -> {
            // The kubelet looks at pods past their deadline every second; the container needs < 1 s to stop.
            // Timestamps have whole seconds.
            softly.assertThat(Duration.between(
                            Instant.parse(failed.getStatus().getStartTime()),
                            Instant.parse(terminated.getFinishedAt())))
                    .as("from startTime to the container's finishedAt, with activeDeadlineSeconds 5")
                    .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
            softly.check(() -> assertThat(namespace
                            .awaitEvent("deadline", "DeadlineExceeded", "longer than the specified deadline")
                            .getType())
                    .isEqualTo("Normal"));
        });
    }
}

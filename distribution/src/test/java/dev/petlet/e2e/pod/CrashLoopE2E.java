package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A container that keeps failing is restarted with the kubelet's back-off: 10 s, then 20 s. */
@SandboxE2E
@Tag("node-agent")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashLoopE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-crashloop");
        namespace.apply(BusyboxPods.pod("crash", "Always", "exit 3").build());
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    /** First: it watches the restarts from the start. */
    @Test
    @Order(1)
    void restartsAFailingContainerWithGrowingBackOff() {
        // Poll the pod until it was restarted twice, noting the back-off messages and when each restart was seen.
        Set<String> backOffMessages = new LinkedHashSet<>();
        TreeMap<Integer, Instant> restartSeen = new TreeMap<>();
        Pod inBackOff = Poll.until(Duration.ofSeconds(90), "pod crash to be restarted twice", () -> {
            Pod pod = namespace.pod("crash").orElseThrow();
            Optional<ContainerStatus> status = TestNamespace.container(pod);
            if (status.isEmpty()) {
                return Optional.empty();
            }
            restartSeen.putIfAbsent(status.get().getRestartCount(), Instant.now());
            boolean waiting = status.get().getState().getWaiting() != null
                    && "CrashLoopBackOff"
                            .equals(status.get().getState().getWaiting().getReason());
            if (waiting) {
                backOffMessages.add(status.get().getState().getWaiting().getMessage());
            }
            return waiting && status.get().getRestartCount() >= 2 ? Optional.of(pod) : Optional.empty();
        });

        ContainerStatus status = TestNamespace.container(inBackOff).orElseThrow();
        String uid = inBackOff.getMetadata().getUid();
        String pod = "pod=crash_" + namespace.name() + "(" + uid + ")";
        assertThat(backOffMessages)
                .contains(
                        "back-off 10s restarting failed container=app " + pod,
                        "back-off 20s restarting failed container=app " + pod);
        ContainerStateTerminated last = status.getLastState().getTerminated();
        assertThat(last).as("lastState.terminated").isNotNull();
        assertThat(last.getExitCode()).isEqualTo(3);
        assertThat(last.getReason()).isEqualTo("Error");
        assertThat(last.getContainerID()).startsWith("podman://");
        assertThat(status.getReady()).isFalse();
        assertThat(inBackOff.getStatus().getPhase()).isEqualTo("Running");
        // The first restart comes ~10 s after the first exit, the second ~20 s after the second.
        Duration betweenRestarts = Duration.between(restartSeen.get(1), restartSeen.get(2));
        assertThat(betweenRestarts).isBetween(Duration.ofSeconds(18), Duration.ofSeconds(35));

        Poll.untilTrue(
                Duration.ofSeconds(60),
                "kubectl get pod crash to show STATUS CrashLoopBackOff",
                () -> namespace.statusColumn("crash").equals("CrashLoopBackOff"));
    }

    @Test
    @Order(2)
    void reportsTheBackOffAsAWarningEvent() {
        Event backOff = namespace.awaitEvent(
                "crash", "BackOff", "Back-off restarting failed container app in pod crash_" + namespace.name());
        assertThat(backOff.getType()).isEqualTo("Warning");
        assertThat(backOff.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(backOff.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
    }
}

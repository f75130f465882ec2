package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A Deployment scheduled onto the petlet node, run with Podman, scaled away again. */
@SandboxE2E
@Tag("node-agent")
class DeploymentE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-deployment");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void runsThreeReplicasAndRemovesThemWhenScaledToZero() {
        // The TERM trap lets the pods stop at once (sh as PID 1 ignores TERM otherwise): a graceful stop.
        namespace.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: spin
                spec:
                  replicas: 3
                  selector:
                    matchLabels:
                      app: spin
                  template:
                    metadata:
                      labels:
                        app: spin
                    spec:
                      containers:
                      - name: app
                        image: %s
                        imagePullPolicy: IfNotPresent
                        command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
                """.formatted(BusyboxPods.IMAGE));

        List<Pod> pods = Poll.until(TestNamespace.TIMEOUT, "3 pods of deployment spin Running and Ready", () -> {
            List<Pod> current = namespace.pods("app=spin");
            return current.size() == 3 && current.stream().allMatch(TestNamespace::runningAndReady)
                    ? Optional.of(current)
                    : Optional.empty();
        });
        String node = namespace.nodeName();
        assertThat(pods).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(node);
            assertThat(pod.getStatus().getPodIP()).startsWith("10.88.");
            assertThat(pod.getStatus().getHostIP()).isNotEmpty();
        });
        assertThat(pods).extracting(pod -> pod.getStatus().getPodIP()).doesNotHaveDuplicates();
        assertThat(namespace.kubectlOk("rollout", "status", "deployment/spin", "--timeout=60s"))
                .contains("successfully rolled out");

        String wide = namespace.kubectlOk("get", "pods", "-l", "app=spin", "-o", "wide", "--no-headers");
        assertThat(wide.lines())
                .hasSize(3)
                .allSatisfy(line -> assertThat(line)
                        .matches("spin-\\S+\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.88\\.\\d+\\.\\d+\\s+"
                                + Pattern.quote(node) + "\\s.*"));

        String first = pods.get(0).getMetadata().getName();
        String described = Poll.until(
                TestNamespace.TIMEOUT, "kubectl describe pod " + first + " to show the kubelet's events", () -> {
                    String text = namespace.kubectlOk("describe", "pod", first);
                    return text.contains("Started") ? Optional.of(text) : Optional.empty();
                });
        assertThat(described)
                .containsPattern("Normal\\s+Scheduled\\s+.*default-scheduler\\s+Successfully assigned "
                        + namespace.name() + "/" + first + " to " + Pattern.quote(node))
                .containsPattern("Normal\\s+Pulled\\s+.*kubelet\\s+Container image \""
                        + Pattern.quote(BusyboxPods.IMAGE) + "\" already present on machine")
                .containsPattern("Normal\\s+Created\\s+.*kubelet\\s+Created container: app")
                .containsPattern("Normal\\s+Started\\s+.*kubelet\\s+Started container app");
        assertThat(namespace.events(first))
                .filteredOn(e -> List.of("Pulled", "Created", "Started").contains(e.getReason()))
                .hasSize(3)
                .allSatisfy(e -> {
                    assertThat(e.getSource().getComponent()).isEqualTo("kubelet");
                    assertThat(e.getSource().getHost()).isEqualTo(node);
                    assertThat(e.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
                });

        namespace.kubectlOk("scale", "deployment/spin", "--replicas=0");
        Poll.untilTrue(
                TestNamespace.TIMEOUT,
                "the pods of deployment spin to be deleted",
                () -> namespace
                        .kubectlOk("get", "pods", "-l", "app=spin", "-o", "name")
                        .isBlank());
        Poll.untilTrue(
                Duration.ofSeconds(30),
                "no podman containers or pods left with label io.petlet.pod.namespace=" + namespace.name(),
                () -> {
                    String label = "label=io.petlet.pod.namespace=" + namespace.name();
                    return PodmanCli.run("ps", "-a", "-q", "--filter", label).isBlank()
                            && PodmanCli.run("pod", "ps", "-q", "--filter", label)
                                    .isBlank();
                });
        assertThat(namespace.events(first))
                .as("events of " + first)
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Killing"));
    }
}

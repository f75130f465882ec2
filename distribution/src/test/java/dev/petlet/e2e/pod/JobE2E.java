package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Containers that finish: phases by restart policy, exit codes, reasons and termination messages. */
@SandboxE2E
@Tag("node-agent")
class JobE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-job");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    private static ContainerStateTerminated terminated(Pod pod) {
        ContainerStatus status = TestNamespace.container(pod).orElseThrow();
        assertThat(status.getState().getTerminated())
                .as("state.terminated of " + pod.getMetadata().getName())
                .isNotNull();
        return status.getState().getTerminated();
    }

    @Test
    void aJobCompletes() {
        namespace.apply("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: x
                spec:
                  backoffLimit: 0
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: app
                        image: %s
                        imagePullPolicy: IfNotPresent
                        command: ["sh", "-c", "echo done"]
                """.formatted(BusyboxPods.IMAGE));

        assertThat(namespace.kubectlOk("wait", "--for=condition=complete", "job/x", "--timeout=120s"))
                .contains("job.batch/x condition met");

        String podName =
                namespace.kubectlOk("get", "pods", "-l", "job-name=x", "-o", "jsonpath={.items[0].metadata.name}");
        Pod pod = namespace.pod(podName).orElseThrow();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
        ContainerStateTerminated terminated = terminated(pod);
        assertThat(terminated.getReason()).isEqualTo("Completed");
        assertThat(terminated.getExitCode()).isZero();
        assertThat(terminated.getStartedAt()).isNotNull();
        assertThat(terminated.getFinishedAt()).isNotNull();
        assertThat(namespace.statusColumn(podName)).isEqualTo("Completed");
        // kubectl logs needs the node's kubelet API; podman shows the command ran.
        String containerId =
                PodmanCli.containerId(TestNamespace.container(pod).orElseThrow().getContainerID());
        assertThat(PodmanCli.run("logs", containerId)).isEqualTo("done\n");
    }

    @Test
    void phasesFollowTheRestartPolicy() {
        namespace.apply(BusyboxPods.pod("never-fails", "Never", "exit 1").build());
        namespace.apply(
                BusyboxPods.pod("on-failure-succeeds", "OnFailure", "exit 0").build());

        Pod failed = namespace.awaitPhase("never-fails", "Failed");
        assertThat(terminated(failed).getExitCode()).isEqualTo(1);
        assertThat(terminated(failed).getReason()).isEqualTo("Error");
        assertThat(TestNamespace.container(failed).orElseThrow().getRestartCount())
                .isZero();
        assertThat(namespace.statusColumn("never-fails")).isEqualTo("Error");

        Pod succeeded = namespace.awaitPhase("on-failure-succeeds", "Succeeded");
        assertThat(terminated(succeeded).getExitCode()).isZero();
        assertThat(terminated(succeeded).getReason()).isEqualTo("Completed");
        assertThat(TestNamespace.container(succeeded).orElseThrow().getRestartCount())
                .isZero();
    }

    @Test
    void terminationMessagesComeFromTheFileOrTheLogs() {
        namespace.apply(BusyboxPods.pod("message-file", "Never", "printf 'written to the file' > /dev/termination-log")
                .build());
        namespace.apply(BusyboxPods.pod("custom-path", "Never", "printf 'custom path' > /tmp/why; exit 4")
                .editSpec()
                .editFirstContainer()
                .withTerminationMessagePath("/tmp/why")
                .endContainer()
                .endSpec()
                .build());
        namespace.apply(BusyboxPods.pod("message-logs", "Never", "echo first line; echo last line; exit 2")
                .editSpec()
                .editFirstContainer()
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .endContainer()
                .endSpec()
                .build());
        namespace.apply(BusyboxPods.pod("logs-on-success", "Never", "echo all good")
                .editSpec()
                .editFirstContainer()
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .endContainer()
                .endSpec()
                .build());

        assertThat(terminated(namespace.awaitPhase("message-file", "Succeeded")).getMessage())
                .isEqualTo("written to the file");
        ContainerStateTerminated custom = terminated(namespace.awaitPhase("custom-path", "Failed"));
        assertThat(custom.getMessage()).isEqualTo("custom path");
        assertThat(custom.getExitCode()).isEqualTo(4);
        assertThat(terminated(namespace.awaitPhase("message-logs", "Failed")).getMessage())
                .isEqualTo("first line\nlast line\n");
        assertThat(terminated(namespace.awaitPhase("logs-on-success", "Succeeded"))
                        .getMessage())
                .as("logs are the fallback only after a failure")
                .isNullOrEmpty();
        assertThat(namespace.kubectlOk(
                        "get",
                        "pod",
                        "message-file",
                        "-o",
                        "jsonpath={.status.containerStatuses[0].state.terminated.message}"))
                .isEqualTo("written to the file");
    }
}

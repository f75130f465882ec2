package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code kubectl debug} adds an ephemeral container that sees the target container's processes. */
@SandboxE2E
class EphemeralContainerE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-debug");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void kubectlDebugWithATargetRunsInTheTargetsProcessNamespaceAndIsReported() {
        namespace.apply(BusyboxPods.pod("target", "Always", "exec sleep 3601").build());
        namespace.awaitReady("target");

        String output = namespace.kubectlOk(
                "debug",
                "pod/target",
                "-i",
                "--image=" + BusyboxPods.IMAGE,
                "--image-pull-policy=IfNotPresent",
                "--target=" + BusyboxPods.CONTAINER,
                "--container=debugger",
                "--",
                "sh",
                "-c",
                "sleep 1; ps");
        assertThat(output).contains("sleep 3601");

        Pod pod = namespace.awaitPod(
                "target",
                "to report the ephemeral container debugger as terminated",
                p -> debugger(p).map(s -> s.getState().getTerminated() != null).orElse(false));
        ContainerStatus debugger = debugger(pod).orElseThrow();
        assertThat(debugger.getState().getTerminated().getExitCode()).isZero();
        assertThat(debugger.getImage()).isEqualTo(BusyboxPods.IMAGE);
        assertThat(debugger.getContainerID()).startsWith("podman://");
        // the app container is untouched and the debugger is not restarted
        assertThat(TestNamespace.container(pod).orElseThrow().getRestartCount()).isZero();
        assertThat(debugger.getRestartCount()).isZero();
    }

    @Test
    void kubectlDebugAttachesToTheEphemeralContainersStandardInput() throws Exception {
        namespace.apply(BusyboxPods.pod("talker", "Always", "exec sleep 3602").build());
        namespace.awaitReady("talker");

        // The container blocks reading its standard input: only an attached kubectl can make it answer.
        Path input = TestNamespace.temporaryFile("hello\n");
        Process kubectl = new ProcessBuilder(
                        "kubectl",
                        "--kubeconfig",
                        namespace.cluster().kubeconfig().toString(),
                        "-n",
                        namespace.name(),
                        "debug",
                        "pod/talker",
                        "-i",
                        "--image=" + BusyboxPods.IMAGE,
                        "--image-pull-policy=IfNotPresent",
                        "--target=" + BusyboxPods.CONTAINER,
                        "--container=listener",
                        "--",
                        "sh",
                        "-c",
                        "read line; echo got-$line; ps")
                .redirectInput(input.toFile())
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean finished = kubectl.waitFor(TestNamespace.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            kubectl.destroyForcibly();
        }
        String printed = output.get(10, TimeUnit.SECONDS);
        assertThat(finished).as(printed).isTrue();
        assertThat(printed).contains("got-hello", "sleep 3602");
        assertThat(kubectl.exitValue()).as(printed).isZero();
    }

    private static Optional<ContainerStatus> debugger(Pod pod) {
        return Optional.ofNullable(pod.getStatus().getEphemeralContainerStatuses()).orElse(List.of()).stream()
                .filter(s -> s.getName().equals("debugger"))
                .findFirst();
    }
}

package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** postStart and preStop hooks: their effects, their order around SIGTERM, and their failure events. */
@SandboxE2E
class LifecycleHooksE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-hooks");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void postStartRunsInTheContainerAndPreStopRunsBeforeTheStopSignal() throws IOException {
        Path out = Files.createTempDirectory("petlet-e2e-hooks-");
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hooks}
                spec:
                  terminationGracePeriodSeconds: 20
                  volumes: [{name: out, hostPath: {path: %2$s}}]
                  containers:
                  - name: app
                    image: %1$s
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'trap "echo TERM >> /out/log; exit 0" TERM; while true; do sleep 1; done']
                    volumeMounts: [{name: out, mountPath: /out}]
                    lifecycle:
                      postStart:
                        exec: {command: [sh, -c, 'echo started by postStart > /tmp/post-start']}
                      preStop:
                        exec: {command: [sh, -c, 'echo preStop >> /out/log; sleep 2; echo preStop done >> /out/log']}
                """.formatted(BusyboxPods.IMAGE, out));
        namespace.awaitReady("hooks");
        assertThat(namespace.kubectlOk("exec", "hooks", "--", "cat", "/tmp/post-start"))
                .isEqualTo("started by postStart\n");

        namespace.kubectlOk("delete", "pod", "hooks", "--wait=true", "--timeout=60s");
        assertThat(Files.readAllLines(out.resolve("log"))).containsExactly("preStop", "preStop done", "TERM");
    }

    @Test
    void aFailingPostStartHookIsReportedAndKillsTheContainer() {
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: bad-post-start}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: app
                    image: %s
                    imagePullPolicy: IfNotPresent
                    command: [sleep, '3600']
                    lifecycle:
                      postStart:
                        exec: {command: [sh, -c, 'echo no luck; exit 7']}
                """.formatted(BusyboxPods.IMAGE));
        Event failed = namespace.awaitEvent(
                "bad-post-start", "FailedPostStartHook", "Exec lifecycle hook ([sh -c echo no luck; exit 7])");
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(failed.getMessage()).contains("for Container \"app\"", "exited with 7", "no luck");
        namespace.awaitEvent("bad-post-start", "Killing", "FailedPostStartHook");
        namespace.awaitPod(
                "bad-post-start",
                "to show its killed container",
                pod -> TestNamespace.container(pod)
                        .map(c -> c.getState().getRunning() == null
                                && (c.getState().getTerminated() != null
                                        || c.getLastState().getTerminated() != null))
                        .orElse(false));
    }

    @Test
    void aFailingPreStopHookIsReportedAndTheContainerStillStops() {
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: bad-pre-stop}
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                  - name: app
                    image: %s
                    imagePullPolicy: IfNotPresent
                    command: [sleep, '3600']
                    lifecycle:
                      preStop:
                        exec: {command: [sh, -c, 'exit 1']}
                """.formatted(BusyboxPods.IMAGE));
        namespace.awaitReady("bad-pre-stop");
        namespace.kubectlOk("delete", "pod", "bad-pre-stop", "--wait=true", "--timeout=60s");
        Event failed = namespace.awaitEvent("bad-pre-stop", "FailedPreStopHook", "PreStopHook failed");
        assertThat(failed.getType()).isEqualTo("Warning");
    }
}

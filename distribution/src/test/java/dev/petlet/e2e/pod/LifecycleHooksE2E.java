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
    void httpGetAndSleepHooks() throws IOException {
        // A native sidecar serves a CGI script that records each hit in a shared emptyDir.
        Path out = Files.createTempDirectory("petlet-e2e-hooks-");
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: http-hooks}
                spec:
                  terminationGracePeriodSeconds: 20
                  volumes:
                  - {name: work, emptyDir: {}}
                  - {name: out, hostPath: {path: %2$s}}
                  initContainers:
                  - name: web
                    image: %1$s
                    imagePullPolicy: IfNotPresent
                    restartPolicy: Always
                    command: [sh, -c, 'mkdir -p /www/cgi-bin && printf "#!/bin/sh\\necho \\$REQUEST_URI >> /work/hits\\necho Content-Type: text/plain\\necho\\necho ok\\n" > /www/cgi-bin/hook && chmod +x /www/cgi-bin/hook && exec httpd -f -p 8080 -h /www']
                    volumeMounts: [{name: work, mountPath: /work}]
                    startupProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 1
                      timeoutSeconds: 3
                  containers:
                  - name: app
                    image: %1$s
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'trap "date +%%s > /out/term; exit 0" TERM; while true; do sleep 1; done']
                    volumeMounts: [{name: work, mountPath: /work}, {name: out, mountPath: /out}]
                    lifecycle:
                      postStart:
                        httpGet:
                          path: "/cgi-bin/hook?from=postStart"
                          port: 8080
                          httpHeaders: [{name: X-Hook, value: petlet}]
                      preStop:
                        sleep: {seconds: 3}
                """.formatted(BusyboxPods.IMAGE, out));
        namespace.awaitReady("http-hooks");
        assertThat(namespace.kubectlOk("exec", "http-hooks", "-c", "app", "--", "cat", "/work/hits"))
                .startsWith("/cgi-bin/hook");

        long deleted = java.time.Instant.now().getEpochSecond();
        namespace.kubectlOk("delete", "pod", "http-hooks", "--wait=true", "--timeout=60s");
        long terminated = Long.parseLong(Files.readString(out.resolve("term")).strip());
        assertThat(terminated - deleted)
                .as("SIGTERM came after the 3 s preStop sleep")
                .isGreaterThanOrEqualTo(3);
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

package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Init containers run one by one, in order, to completion before the app containers; a failing
 * one shows as kubectl shows it (Init:Error, Init:CrashLoopBackOff); native sidecars start before
 * the next init container, keep running beside the app, and stop after it.
 */
@SandboxE2E
class InitContainersE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-init");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void initContainersRunInOrderBeforeTheApp() {
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: ordered}
                spec:
                  volumes: [{name: work, emptyDir: {}}]
                  initContainers:
                  - name: first
                    image: %1$s
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'echo first >> /work/log; sleep 3']
                    volumeMounts: [{name: work, mountPath: /work}]
                  - name: second
                    image: %1$s
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'grep -q first /work/log && echo second >> /work/log; sleep 3']
                    volumeMounts: [{name: work, mountPath: /work}]
                  containers:
                  - name: app
                    image: %1$s
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'echo app >> /work/log; exec sleep 3600']
                    volumeMounts: [{name: work, mountPath: /work}]
                """.formatted(BusyboxPods.IMAGE));
        Set<String> columns = new LinkedHashSet<>();
        Set<String> appWaiting = new LinkedHashSet<>();
        Set<String> initialized = new LinkedHashSet<>();
        Pod running = Poll.until(TestNamespace.TIMEOUT, "pod ordered to run its app", () -> {
            columns.add(namespace.statusColumn("ordered"));
            Optional<Pod> pod = namespace.pod("ordered");
            pod.flatMap(TestNamespace::container)
                    .map(ContainerStatus::getState)
                    .filter(state -> state.getWaiting() != null)
                    .ifPresent(state -> appWaiting.add(state.getWaiting().getReason()));
            pod.flatMap(p -> condition(p, "Initialized"))
                    .ifPresent(c -> initialized.add(c.getStatus() + "/" + c.getReason()));
            return pod.filter(TestNamespace::runningAndReady);
        });

        assertThat(columns).contains("Init:0/2", "Init:1/2");
        assertThat(columns.stream().toList().indexOf("Init:0/2"))
                .isLessThan(columns.stream().toList().indexOf("Init:1/2"));
        assertThat(appWaiting).containsOnly("PodInitializing");
        assertThat(initialized).contains("False/ContainersNotInitialized", "True/null");
        assertThat(namespace.kubectlOk("exec", "ordered", "-c", "app", "--", "cat", "/work/log"))
                .isEqualTo("first\nsecond\napp\n");
        List<ContainerStatus> init = running.getStatus().getInitContainerStatuses();
        assertThat(init).extracting(ContainerStatus::getName).containsExactly("first", "second");
        for (ContainerStatus status : init) {
            assertThat(status.getState().getTerminated()).as(status.getName()).isNotNull();
            assertThat(status.getState().getTerminated().getReason()).isEqualTo("Completed");
            assertThat(status.getState().getTerminated().getExitCode()).isZero();
            assertThat(status.getReady()).as(status.getName() + " ready").isTrue();
            assertThat(status.getRestartCount()).isZero();
            assertThat(status.getContainerID()).startsWith("podman://");
        }
        assertThat(namespace.statusColumn("ordered")).isEqualTo("Running");
    }

    @Test
    void aFailingInitContainerIsRestartedWithBackOff() {
        namespace.apply(failingInit("crashing-init", "Always"));
        Pod backingOff = Poll.until(
                Duration.ofSeconds(90),
                "init container of pod crashing-init to be restarted and back off",
                () -> namespace.pod("crashing-init").filter(pod -> {
                    ContainerStatus init = initStatus(pod, "fail").orElse(null);
                    return init != null
                            && init.getRestartCount() >= 1
                            && init.getState().getWaiting() != null
                            && "CrashLoopBackOff"
                                    .equals(init.getState().getWaiting().getReason());
                }));
        ContainerStatus init = initStatus(backingOff, "fail").orElseThrow();
        assertThat(init.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(init.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(backingOff.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(TestNamespace.container(backingOff)
                        .orElseThrow()
                        .getState()
                        .getWaiting()
                        .getReason())
                .isEqualTo("PodInitializing");
        Poll.untilTrue(
                Duration.ofSeconds(30),
                "kubectl to show Init:CrashLoopBackOff",
                () -> namespace.statusColumn("crashing-init").equals("Init:CrashLoopBackOff"));
        namespace.awaitEvent("crashing-init", "BackOff", "Back-off restarting failed container fail");
    }

    @Test
    void aFailedInitContainerFailsAPodThatNeverRestarts() {
        namespace.apply(failingInit("failed-init", "Never"));
        Pod failed = namespace.awaitPhase("failed-init", "Failed");
        ContainerStatus init = initStatus(failed, "fail").orElseThrow();
        assertThat(init.getState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(init.getRestartCount()).isZero();
        assertThat(namespace.statusColumn("failed-init")).isEqualTo("Init:Error");
        assertThat(TestNamespace.container(failed).orElseThrow().getState().getWaiting())
                .as("the app container never ran")
                .isNotNull();
    }

    @Test
    void aNativeSidecarStartsFirstRunsBesideTheAppIsRestartedAndStopsLast() throws IOException {
        // The sidecar is up 2 s after it starts; its startup probe holds the next init container back till then.
        Path out = Files.createTempDirectory("petlet-e2e-sidecar-");
        out.toFile().deleteOnExit();
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: with-sidecar}
                spec:
                  restartPolicy: Never
                  terminationGracePeriodSeconds: 10
                  volumes:
                  - {name: work, emptyDir: {}}
                  - {name: out, hostPath: {path: %2$s}}
                  initContainers:
                  - name: sidecar
                    image: %1$s
                    imagePullPolicy: IfNotPresent
                    restartPolicy: Always
                    command: [sh, -c, 'trap "echo sidecar >> /out/stopped; exit 0" TERM; sleep 2; touch /work/sidecar-up; while [ ! -f /work/stop-sidecar ]; do sleep 1; done; rm /work/stop-sidecar']
                    volumeMounts: [{name: work, mountPath: /work}, {name: out, mountPath: /out}]
                    startupProbe:
                      exec: {command: [test, -f, /work/sidecar-up]}
                      periodSeconds: 1
                      timeoutSeconds: 5
                      failureThreshold: 60
                  - name: needs-sidecar
                    image: %1$s
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'test -f /work/sidecar-up']
                    volumeMounts: [{name: work, mountPath: /work}]
                  containers:
                  - name: app
                    image: %1$s
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'trap "echo app >> /out/stopped; exit 0" TERM; while true; do sleep 1; done']
                    volumeMounts: [{name: work, mountPath: /work}, {name: out, mountPath: /out}]
                """.formatted(BusyboxPods.IMAGE, out));
        Pod running = namespace.awaitReady("with-sidecar");
        ContainerStatus sidecar = initStatus(running, "sidecar").orElseThrow();
        assertThat(sidecar.getState().getRunning()).isNotNull();
        assertThat(sidecar.getStarted()).isTrue();
        assertThat(sidecar.getReady()).isTrue();
        ContainerStatus needsSidecar = initStatus(running, "needs-sidecar").orElseThrow();
        assertThat(needsSidecar.getState().getTerminated().getExitCode())
                .as("the init container after the sidecar started only once its startup probe passed")
                .isZero();
        assertThat(needsSidecar.getRestartCount()).isZero();
        String line = namespace.kubectlOk("get", "pod", "with-sidecar", "--no-headers");
        assertThat(line.split("\\s+")[1]).as("READY counts the sidecar").isEqualTo("2/2");

        // It exits: restarted even though the pod's restartPolicy is Never; the app keeps running.
        namespace.kubectlOk("exec", "with-sidecar", "-c", "app", "--", "touch", "/work/stop-sidecar");
        Pod restarted = namespace.awaitPod(
                "with-sidecar",
                "to restart its sidecar",
                pod -> initStatus(pod, "sidecar")
                        .map(s -> s.getRestartCount() >= 1 && s.getState().getRunning() != null)
                        .orElse(false));
        assertThat(TestNamespace.container(restarted).orElseThrow().getRestartCount())
                .isZero();
        assertThat(restarted.getStatus().getPhase()).isEqualTo("Running");

        // Deleted: the app container stops before the sidecar.
        namespace.kubectlOk("delete", "pod", "with-sidecar", "--wait=true", "--timeout=60s");
        assertThat(Files.readAllLines(out.resolve("stopped"))).containsExactly("app", "sidecar");
    }

    private static String failingInit(String name, String restartPolicy) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %2$s}
                spec:
                  restartPolicy: %3$s
                  initContainers:
                  - {name: fail, image: %1$s, imagePullPolicy: IfNotPresent, command: [sh, -c, 'exit 3']}
                  containers:
                  - {name: app, image: %1$s, imagePullPolicy: IfNotPresent, command: [sleep, '3600']}
                """.formatted(BusyboxPods.IMAGE, name, restartPolicy);
    }

    static Optional<ContainerStatus> initStatus(Pod pod, String name) {
        return Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream()
                .filter(s -> s.getName().equals(name))
                .findFirst();
    }

    static Optional<PodCondition> condition(Pod pod, String type) {
        return Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of()).stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }
}

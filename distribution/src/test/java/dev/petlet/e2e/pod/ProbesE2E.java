package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Startup, liveness and readiness probes as the kubelet runs them: a liveness failure restarts
 * the container with Unhealthy and Killing events, readiness moves the pod in and out of its
 * Service's ready endpoints, and a startup probe holds the other two back.
 */
@SandboxE2E
class ProbesE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-probes");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void aLivenessFailureRestartsTheContainer() {
        // httpd serves /healthz until the test removes the file; the probe uses a named port and a header.
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: liveness}
                spec:
                  containers:
                  - name: app
                    image: %s
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'mkdir -p /www && echo ok > /www/healthz && exec httpd -f -p 8080 -h /www']
                    ports: [{name: http, containerPort: 8080}]
                    livenessProbe:
                      httpGet:
                        path: /healthz
                        port: http
                        httpHeaders: [{name: X-Probe, value: petlet}]
                      periodSeconds: 1
                      timeoutSeconds: 3
                      failureThreshold: 2
                """.formatted(BusyboxPods.IMAGE));
        namespace.awaitReady("liveness");
        namespace.kubectlOk("exec", "liveness", "--", "rm", "/www/healthz");

        Pod restarted = namespace.awaitPod(
                "liveness",
                "to be restarted after failing its liveness probe",
                pod -> TestNamespace.container(pod)
                        .map(c -> c.getRestartCount() >= 1 && c.getState().getRunning() != null)
                        .orElse(false));
        ContainerStatus app = TestNamespace.container(restarted).orElseThrow();
        assertThat(app.getLastState().getTerminated()).isNotNull();
        Event unhealthy = namespace.awaitEvent(
                "liveness", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 404");
        assertThat(unhealthy.getType()).isEqualTo("Warning");
        assertThat(unhealthy.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
        Event killing =
                namespace.awaitEvent("liveness", "Killing", "Container app failed liveness probe, will be restarted");
        assertThat(killing.getType()).isEqualTo("Normal");
        // The new container serves /healthz again: it stays up.
        namespace.awaitReady("liveness");
    }

    @Test
    void readinessMovesThePodInAndOutOfItsServiceEndpoints() {
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: readiness, labels: {app: readiness}}
                spec:
                  containers:
                  - name: app
                    image: %s
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 8080 -h /www']
                    ports: [{containerPort: 8080}]
                    readinessProbe:
                      exec: {command: [test, -f, /tmp/ready]}
                      periodSeconds: 1
                      timeoutSeconds: 5
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: readiness}
                spec:
                  selector: {app: readiness}
                  ports: [{port: 80, targetPort: 8080}]
                """.formatted(BusyboxPods.IMAGE));
        Pod notReady = namespace.awaitPod(
                "readiness",
                "to run without being ready",
                pod -> TestNamespace.container(pod)
                        .map(c -> c.getState().getRunning() != null && !c.getReady() && c.getStarted())
                        .orElse(false));
        assertThat(InitContainersE2E.condition(notReady, "Ready").orElseThrow().getStatus())
                .isEqualTo("False");
        awaitEndpoint(notReady, false);

        namespace.kubectlOk("exec", "readiness", "--", "touch", "/tmp/ready");
        Pod ready = namespace.awaitReady("readiness");
        assertThat(InitContainersE2E.condition(ready, "ContainersReady")
                        .orElseThrow()
                        .getStatus())
                .isEqualTo("True");
        awaitEndpoint(ready, true);

        namespace.kubectlOk("exec", "readiness", "--", "rm", "/tmp/ready");
        Pod unready = namespace.awaitPod("readiness", "to become unready", pod -> !TestNamespace.runningAndReady(pod));
        awaitEndpoint(unready, false);
        assertThat(TestNamespace.container(unready).orElseThrow().getRestartCount())
                .as("readiness never restarts")
                .isZero();
        namespace.awaitEvent("readiness", "Unhealthy", "Readiness probe failed");
    }

    @Test
    void aStartupProbeHoldsLivenessAndReadinessBack() {
        // Nothing listens on 8080 for the first 8 s: a liveness probe that ran then would
        // restart the container at once (failureThreshold 1).
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: startup}
                spec:
                  containers:
                  - name: app
                    image: %s
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, 'mkdir -p /www && echo ok > /www/index.html && sleep 8 && exec httpd -f -p 8080 -h /www']
                    startupProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 1
                      failureThreshold: 30
                    livenessProbe:
                      httpGet: {path: /, port: 8080}
                      periodSeconds: 1
                      timeoutSeconds: 3
                      failureThreshold: 1
                    readinessProbe:
                      httpGet: {path: /, port: 8080}
                      periodSeconds: 1
                """.formatted(BusyboxPods.IMAGE));
        Instant created = Instant.now();
        Pod starting = namespace.awaitPod(
                "startup",
                "to run before its startup probe passed",
                pod -> TestNamespace.container(pod)
                        .map(c -> c.getState().getRunning() != null)
                        .orElse(false));
        ContainerStatus early = TestNamespace.container(starting).orElseThrow();
        if (Duration.between(created, Instant.now()).toSeconds() < 6) {
            assertThat(early.getStarted()).isFalse();
            assertThat(early.getReady()).isFalse();
        }
        Pod ready = namespace.awaitReady("startup");
        ContainerStatus app = TestNamespace.container(ready).orElseThrow();
        assertThat(app.getStarted()).isTrue();
        assertThat(app.getRestartCount())
                .as("liveness did not run before startup passed")
                .isZero();
        assertThat(namespace.events("startup"))
                .as("no liveness failure was reported")
                .noneMatch(e -> e.getMessage() != null && e.getMessage().startsWith("Liveness probe failed"));
        assertThat(namespace.events("startup"))
                .anyMatch(e -> e.getMessage() != null && e.getMessage().startsWith("Startup probe failed: dial tcp "));
    }

    /** Polls the Service's EndpointSlice until the pod's endpoint has the readiness. */
    private static void awaitEndpoint(Pod pod, boolean ready) {
        String ip = pod.getStatus().getPodIP();
        Poll.until(
                Duration.ofSeconds(60),
                "the EndpointSlice of service readiness to list " + ip + " with ready=" + ready,
                () -> endpoints("readiness").stream()
                        .filter(e -> e.getAddresses().contains(ip))
                        .filter(e -> e.getConditions() != null
                                && Boolean.valueOf(ready)
                                        .equals(e.getConditions().getReady()))
                        .findFirst());
    }

    private static List<Endpoint> endpoints(String service) {
        String json = namespace.kubectlOk(
                "get", "endpointslices", "-l", "kubernetes.io/service-name=" + service, "-o", "json");
        return namespace
                .cluster()
                .client()
                .getKubernetesSerialization()
                .unmarshal(json, EndpointSliceList.class)
                .getItems()
                .stream()
                .flatMap(slice -> Optional.ofNullable(slice.getEndpoints()).orElse(List.of()).stream())
                .toList();
    }
}

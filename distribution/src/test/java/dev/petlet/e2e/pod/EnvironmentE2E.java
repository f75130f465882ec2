package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a container's environment holds, checked with {@code kubectl exec … env}. */
@SandboxE2E
class EnvironmentE2E {
    private static TestNamespace namespace;
    private static TestCluster cluster;

    @BeforeAll
    static void createPods(TestCluster testCluster) {
        cluster = testCluster;
        namespace = TestNamespace.create(cluster, "e2e-env");
        PodSpecs.awaitDefaultServiceAccount(namespace);
        namespace.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {mode: fast, 1bad: skipped, level: "3"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                stringData: {password: s3cret, user: admin}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: backend}
                spec:
                  ports: [{name: http, port: 8080, protocol: TCP}]
                """);
        String container = """
                  containers:
                  - name: app
                    image: localhost/busybox:latest
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, "echo \\"$(GREETING)\\" > /tmp/greeting; echo '$$(GREETING)' > /tmp/escaped; exec sleep 3600"]
                    resources:
                      limits: {memory: 64Mi}
                      requests: {cpu: 250m}
                    envFrom:
                    - configMapRef: {name: settings}
                    - secretRef: {name: db}
                      prefix: DB_
                    - configMapRef: {name: absent, optional: true}
                    env:
                    - {name: WHO, value: world}
                    - {name: GREETING, value: "hello $(WHO)"}
                    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                    - {name: POD_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                    - {name: POD_UID, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
                    - {name: APP_LABEL, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
                    - {name: NOTE, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['note']"}}}
                    - {name: NODE_NAME, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                    - {name: SERVICE_ACCOUNT, valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}}
                    - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
                    - {name: HOST_IPS, valueFrom: {fieldRef: {fieldPath: status.hostIPs}}}
                    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
                    - {name: POD_IPS, valueFrom: {fieldRef: {fieldPath: status.podIPs}}}
                    - {name: MEMORY_MI, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
                    - {name: CPU_REQUEST_MILLI, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}
                    - {name: CPU_LIMIT, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
                    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
                    - {name: MODE, valueFrom: {configMapKeyRef: {name: settings, key: mode}}}
                    - {name: OPTIONAL_KEY, valueFrom: {configMapKeyRef: {name: settings, key: nope, optional: true}}}
                    - {name: OPTIONAL_SECRET, valueFrom: {secretKeyRef: {name: nope, key: k, optional: true}}}
                """;
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: env
                  labels: {app: shop}
                  annotations: {note: hello}
                spec:
                """ + container + """
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: no-links}
                spec:
                  enableServiceLinks: false
                """ + container);
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    private static Map<String, String> env(String pod) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : namespace.kubectlOk("exec", pod, "--", "env").split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                variables.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return variables;
    }

    @Test
    void literalDownwardApiAndReferencedValues() {
        Pod pod = namespace.awaitReady("env");
        String node = namespace.nodeName();
        String allocatableCpu = cluster.client()
                .nodes()
                .withName(node)
                .get()
                .getStatus()
                .getAllocatable()
                .get("cpu")
                .getAmount();

        assertThat(env("env"))
                .containsEntry("WHO", "world")
                .containsEntry("GREETING", "hello world")
                .containsEntry("POD_NAME", "env")
                .containsEntry("POD_NAMESPACE", namespace.name())
                .containsEntry("POD_UID", pod.getMetadata().getUid())
                .containsEntry("APP_LABEL", "shop")
                .containsEntry("NOTE", "hello")
                .containsEntry("NODE_NAME", node)
                .containsEntry("SERVICE_ACCOUNT", "default")
                .containsEntry("HOST_IP", pod.getStatus().getHostIP())
                .containsEntry("HOST_IPS", pod.getStatus().getHostIP())
                .containsEntry("POD_IP", pod.getStatus().getPodIP())
                .containsEntry("POD_IPS", pod.getStatus().getPodIP())
                .containsEntry("MEMORY_MI", "64")
                .containsEntry("CPU_REQUEST_MILLI", "250")
                .containsEntry("CPU_LIMIT", allocatableCpu) // no limit: the node's allocatable
                .containsEntry("PASSWORD", "s3cret")
                .containsEntry("MODE", "fast")
                .containsEntry("mode", "fast")
                .containsEntry("level", "3")
                .containsEntry("DB_password", "s3cret")
                .containsEntry("DB_user", "admin")
                .doesNotContainKeys("1bad", "OPTIONAL_KEY", "OPTIONAL_SECRET");
    }

    @Test
    void expandsVariablesInTheCommand() {
        namespace.awaitReady("env");
        assertThat(PodSpecs.exec(namespace, "env", "cat /tmp/greeting /tmp/escaped"))
                .isEqualTo("hello world\n$(GREETING)\n");
    }

    @Test
    void serviceLinksFollowEnableServiceLinks() {
        namespace.awaitReady("env");
        namespace.awaitReady("no-links");
        String clusterIp = cluster.client()
                .services()
                .inNamespace(namespace.name())
                .withName("backend")
                .get()
                .getSpec()
                .getClusterIP();
        Map<String, String> withLinks = env("env");
        assertThat(withLinks)
                .containsEntry("BACKEND_SERVICE_HOST", clusterIp)
                .containsEntry("BACKEND_SERVICE_PORT", "8080")
                .containsEntry("BACKEND_SERVICE_PORT_HTTP", "8080")
                .containsEntry("BACKEND_PORT", "tcp://" + clusterIp + ":8080")
                .containsEntry("BACKEND_PORT_8080_TCP_ADDR", clusterIp)
                .containsEntry("BACKEND_PORT_8080_TCP_PROTO", "tcp");
        // petlet has no service proxy yet: the master service's variables lead to the API server itself.
        String apiServerPort = Integer.toString(cluster.sandbox().server().getPort());
        Pod pod = namespace.pod("env").orElseThrow();
        assertThat(withLinks)
                .containsEntry("KUBERNETES_SERVICE_HOST", pod.getStatus().getHostIP())
                .containsEntry("KUBERNETES_SERVICE_PORT", apiServerPort);

        Map<String, String> withoutLinks = env("no-links");
        assertThat(withoutLinks).doesNotContainKey("BACKEND_SERVICE_HOST").containsKey("KUBERNETES_SERVICE_HOST");
    }

    @Test
    void reportsSkippedEnvFromKeys() {
        Event event = namespace.awaitEvent(
                "env",
                "InvalidEnvironmentVariableNames",
                "Keys [1bad] from the EnvFrom configMap " + namespace.name() + "/settings were skipped");
        assertThat(event.getType()).isEqualTo("Warning");
    }
}

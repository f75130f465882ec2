package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Every volume kind petlet provides, checked from inside the container; then their clean-up. */
@SandboxE2E
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VolumesE2E {
    private static TestNamespace namespace;
    private static TestCluster cluster;
    private static Path hostDirectory;

    @BeforeAll
    static void createPod(TestCluster testCluster) throws IOException {
        cluster = testCluster;
        namespace = TestNamespace.create(cluster, "e2e-volumes");
        hostDirectory = Files.createTempDirectory("petlet-e2e-hostpath-").resolve("created");
        PodSpecs.awaitDefaultServiceAccount(namespace);
        namespace.apply("""
                apiVersion: v1
                kind: Secret
                metadata: {name: creds}
                stringData: {password: s3cret, user: admin}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {mode: fast, level: "3"}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: volumes
                  labels: {app: volumes, tier: test}
                  annotations: {note: hello}
                spec:
                  containers:
                  - name: app
                    image: localhost/busybox:latest
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, "exec sleep 3600"]
                    env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                    resources: {limits: {memory: 64Mi}}
                    volumeMounts:
                    - {name: secret, mountPath: /etc/secret}
                    - {name: config, mountPath: /etc/config}
                    - {name: config, mountPath: /etc/mode, subPath: mode}
                    - {name: podinfo, mountPath: /etc/podinfo}
                    - {name: projected, mountPath: /etc/projected}
                    - {name: memory, mountPath: /cache}
                    - {name: scratch, mountPath: /scratch/by-pod, subPathExpr: "pods/$(POD_NAME)"}
                    - {name: scratch, mountPath: /scratch/all}
                    - {name: host, mountPath: /host, readOnly: true}
                  volumes:
                  - name: secret
                    secret: {secretName: creds, defaultMode: 288, items: [{key: password, path: db/password, mode: 256}]}
                  - name: config
                    configMap: {name: settings}
                  - name: podinfo
                    downwardAPI:
                      items:
                      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                      - {path: memory, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 1Mi}}
                  - name: projected
                    projected:
                      sources:
                      - secret: {name: creds, items: [{key: user, path: user}]}
                      - configMap: {name: settings, items: [{key: level, path: level}]}
                      - downwardAPI: {items: [{path: note, fieldRef: {fieldPath: "metadata.annotations['note']"}}]}
                      - serviceAccountToken: {audience: petlet-e2e, expirationSeconds: 600, path: token}
                  - name: memory
                    emptyDir: {medium: Memory, sizeLimit: 8Mi}
                  - name: scratch
                    emptyDir: {}
                  - name: host
                    hostPath: {path: HOST_DIRECTORY, type: DirectoryOrCreate}
                """.replace("HOST_DIRECTORY", hostDirectory.toString()));
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    private static String exec(String script) {
        return PodSpecs.exec(namespace, "volumes", script);
    }

    private static String mountLine(String mountPath) {
        return exec("grep ' " + mountPath + " ' /proc/mounts");
    }

    @Test
    @Order(1)
    void secretVolumesHoldTheChosenKeysWithTheirModeOnTmpfs() {
        namespace.awaitReady("volumes");
        assertThat(exec("cat /etc/secret/db/password")).isEqualTo("s3cret");
        assertThat(exec("stat -L -c %a /etc/secret/db/password")).isEqualTo("400\n");
        assertThat(exec("ls /etc/secret")).isEqualTo("db\n");
        assertThat(exec("readlink /etc/secret/db; readlink /etc/secret/..data")).startsWith("..data/db\n..20");
        assertThat(mountLine("/etc/secret")).startsWith("tmpfs /etc/secret tmpfs ro,");
    }

    @Test
    @Order(2)
    void configMapDownwardApiAndProjectedVolumes() {
        namespace.awaitReady("volumes");
        assertThat(exec("cat /etc/config/mode /etc/config/level")).isEqualTo("fast3");
        assertThat(exec("cat /etc/mode")).isEqualTo("fast");
        assertThat(exec("stat -L -c %a /etc/config/mode")).isEqualTo("644\n");
        assertThat(exec("cat /etc/podinfo/labels")).isEqualTo("app=\"volumes\"\ntier=\"test\"");
        assertThat(exec("cat /etc/podinfo/memory")).isEqualTo("64");
        assertThat(exec("cat /etc/projected/user /etc/projected/level /etc/projected/note"))
                .isEqualTo("admin3hello");
        assertThat(mountLine("/etc/projected")).startsWith("tmpfs /etc/projected tmpfs ro,");
        CommandResult write = namespace.kubectl("exec", "volumes", "--", "sh", "-c", "echo x > /etc/config/new");
        assertThat(write.exitCode()).as("API volumes are read-only").isNotZero();
    }

    @Test
    @Order(3)
    void theProjectedTokenIsOneTheApiServerAccepts() {
        namespace.awaitReady("volumes");
        String token = exec("cat /etc/projected/token");
        PodSpecs.assertTokenAccepted(cluster, namespace, "volumes", token, "petlet-e2e");
    }

    @Test
    @Order(4)
    void emptyDirsSubPathExprAndReadOnlyHostPaths() {
        namespace.awaitReady("volumes");
        assertThat(mountLine("/cache")).startsWith("tmpfs /cache tmpfs rw,").contains("size=8192k");
        exec("echo hi > /scratch/by-pod/file");
        assertThat(exec("cat /scratch/all/pods/volumes/file")).isEqualTo("hi\n");
        assertThat(hostDirectory).isDirectory();
        CommandResult write = namespace.kubectl("exec", "volumes", "--", "sh", "-c", "touch /host/x");
        assertThat(write.exitCode()).as("readOnly hostPath").isNotZero();
    }

    @Test
    @Order(5)
    void aConfigMapEditShowsInTheMountedFileWithinAMinute() {
        namespace.awaitReady("volumes");
        namespace.kubectlOk("patch", "configmap", "settings", "-p", "{\"data\":{\"mode\":\"slow\"}}");
        Poll.untilTrue(
                Duration.ofSeconds(60),
                "the mounted configMap to show the edit",
                () -> exec("cat /etc/config/mode").equals("slow"));
        assertThat(exec("cat /etc/mode"))
                .as("subPath mounts do not follow updates")
                .isEqualTo("fast");
    }

    @Test
    @Order(6)
    void removesTheVolumesWithThePod() throws IOException {
        Pod pod = namespace.awaitReady("volumes");
        Path podDirectory = cluster.sandbox()
                .stateDirectory()
                .resolve("node/pods")
                .resolve(pod.getMetadata().getUid());
        assertThat(podDirectory.resolve("volumes/kubernetes.io~secret/secret")).isDirectory();
        // kubectl delete waits until the API object is gone; as the kubelet, petlet deletes it only after
        // unmounting the pod's volumes (and removes the pod's directory before that, too).
        namespace.kubectlOk("delete", "pod", "volumes", "--grace-period=1");
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(podDirectory.toString());
        assertThat(podDirectory).doesNotExist();
    }
}

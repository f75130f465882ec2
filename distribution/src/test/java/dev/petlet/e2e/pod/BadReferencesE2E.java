package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A missing secret, a missing key, a missing configMap and a hostPath of the wrong type hold a pod
 * back with the kubelet's reason and a message that says what to fix; fixing it starts the pod.
 */
@SandboxE2E
class BadReferencesE2E {
    private static TestNamespace namespace;
    private static Path hostFile;

    @BeforeAll
    static void createNamespace(TestCluster cluster) throws IOException {
        namespace = TestNamespace.create(cluster, "e2e-badrefs");
        hostFile = Files.writeString(
                Files.createTempDirectory("petlet-e2e-hostpath-").resolve("data"), "a file");
        PodSpecs.awaitDefaultServiceAccount(namespace);
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    private static String pod(String name, String extra) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: NAME}
                spec:
                  containers:
                  - name: app
                    image: localhost/busybox:latest
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, "exec sleep 3600"]
                """.replace("NAME", name) + extra;
    }

    private static ContainerStateWaiting waiting(Pod pod) {
        return TestNamespace.container(pod).orElseThrow().getState().getWaiting();
    }

    @Test
    void aMissingSecretThenAMissingKeyThenTheFix() {
        namespace.apply(pod("env-secret", """
                    env: [{name: PASSWORD, valueFrom: {secretKeyRef: {name: later, key: password}}}]
                """));
        Pod pod = namespace.awaitWaiting("env-secret", "CreateContainerConfigError");
        assertThat(waiting(pod).getMessage()).isEqualTo("secret \"later\" not found");
        namespace.awaitEvent("env-secret", "Failed", "Error: secret \"later\" not found");

        namespace.kubectlOk("create", "secret", "generic", "later", "--from-literal=user=me");
        namespace.awaitPod(
                "env-secret",
                "to name the missing key",
                p -> waiting(p) != null
                        && ("couldn't find key password in Secret " + namespace.name() + "/later")
                                .equals(waiting(p).getMessage()));

        namespace.kubectlOk("patch", "secret", "later", "-p", "{\"stringData\":{\"password\":\"s3cret\"}}");
        namespace.awaitReady("env-secret");
        assertThat(PodSpecs.exec(namespace, "env-secret", "echo $PASSWORD")).isEqualTo("s3cret\n");
    }

    @Test
    void aMissingConfigMapVolumeWaitsWithFailedMount() {
        namespace.apply(pod("cm-volume", """
                    volumeMounts: [{name: config, mountPath: /etc/config}]
                  volumes: [{name: config, configMap: {name: settings-later}}]
                """));
        Event event = namespace.awaitEvent(
                "cm-volume",
                "FailedMount",
                "MountVolume.SetUp failed for volume \"config\" : configmap \"settings-later\" not found");
        assertThat(event.getType()).isEqualTo("Warning");
        namespace.awaitWaiting("cm-volume", "ContainerCreating");

        namespace.kubectlOk("create", "configmap", "settings-later", "--from-literal=mode=fast");
        namespace.awaitReady("cm-volume");
        assertThat(PodSpecs.exec(namespace, "cm-volume", "cat /etc/config/mode"))
                .isEqualTo("fast");
    }

    @Test
    void aHostPathOfTheWrongTypeWaitsUntilItIsFixed() throws IOException {
        namespace.apply(pod("host-type", """
                    volumeMounts: [{name: host, mountPath: /host}]
                  volumes: [{name: host, hostPath: {path: PATH, type: Directory}}]
                """.replace("PATH", hostFile.toString())));
        namespace.awaitEvent(
                "host-type",
                "FailedMount",
                "MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: " + hostFile
                        + " is not a directory");
        namespace.awaitWaiting("host-type", "ContainerCreating");

        Files.delete(hostFile);
        Files.createDirectory(hostFile);
        namespace.awaitReady("host-type");
    }
}

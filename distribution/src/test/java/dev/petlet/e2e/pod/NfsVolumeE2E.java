package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * nfs volumes through the nfs volume driver. The test sandbox's driver runs a stand-in for mount.nfs
 * (testing's LocalNfs: the kernel here has no NFS) that bind-mounts the export's path, a local directory.
 */
@SandboxE2E
class NfsVolumeE2E {
    private static TestNamespace namespace;
    private static Path export;

    @BeforeAll
    static void createNamespace(TestCluster cluster) throws IOException {
        namespace = TestNamespace.create(cluster, "e2e-nfs");
        export = Files.createTempDirectory("petlet-e2e-nfs-export-");
        Files.writeString(export.resolve("hello.txt"), "served over nfs\n");
        PodSpecs.awaitDefaultServiceAccount(namespace);
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    private static String pod(String name, String path) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: NAME}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: app
                    image: localhost/busybox:latest
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, "exec sleep 3600"]
                    volumeMounts: [{name: data, mountPath: /data}]
                  volumes:
                  - name: data
                    nfs: {server: nas.example, path: PATH, readOnly: true}
                """.replace("NAME", name).replace("PATH", path);
    }

    private static boolean mounted(String podUid) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(line -> line.contains(podUid + "/volumes/kubernetes.io~nfs/data"));
    }

    @Test
    void aPodReadsItsNfsVolumeAndTheMountGoesWithThePod() throws IOException {
        namespace.apply(pod("reader", export.toString()));

        String uid = namespace.awaitReady("reader").getMetadata().getUid();

        assertThat(PodSpecs.exec(namespace, "reader", "cat /data/hello.txt")).isEqualTo("served over nfs\n");
        CommandResult write = namespace.kubectl("exec", "reader", "--", "sh", "-c", "echo x > /data/new");
        assertThat(write.exitCode())
                .as("a readOnly nfs volume is mounted read-only")
                .isNotZero();
        assertThat(mounted(uid)).isTrue();

        namespace.kubectlOk("delete", "pod", "reader", "--wait=true", "--timeout=60s");

        Poll.untilTrue(Duration.ofSeconds(30), "the nfs volume of the deleted pod to be unmounted", () -> {
            try {
                return !mounted(uid);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(export.resolve("hello.txt"))
                .as("unmounting leaves the export as it was")
                .exists();
    }

    @Test
    void aFailedMountIsAFailedMountEventAndThePodWaits() {
        namespace.apply(pod("missing", export.resolve("no-such-export").toString()));

        var event = namespace.awaitEvent(
                "missing",
                "FailedMount",
                "MountVolume.SetUp failed for volume \"data\" : mount failed: exit status 32");

        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).contains("No such file or directory");
        assertThat(namespace.pod("missing").orElseThrow().getStatus().getPhase())
                .isEqualTo("Pending");
    }
}

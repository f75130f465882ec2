package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a pod's and a container's security contexts promise, checked from inside the container. */
@SandboxE2E
class SecurityContextE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-security");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void usersGroupsFsGroupReadOnlyRootAndNoNewPrivilegesHoldInside() {
        Pod pod = BusyboxPods.pod("ids", "Always", "sleep 3600")
                .editSpec()
                .withSecurityContext(new PodSecurityContextBuilder()
                        .withRunAsUser(1000L)
                        .withRunAsGroup(2000L)
                        .withFsGroup(3000L)
                        .withSupplementalGroups(4000L)
                        .build())
                .addNewVolume()
                .withName("data")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .editFirstContainer()
                .withSecurityContext(new SecurityContextBuilder()
                        .withReadOnlyRootFilesystem(true)
                        .withAllowPrivilegeEscalation(false)
                        .build())
                .addNewVolumeMount()
                .withName("data")
                .withMountPath("/data")
                .endVolumeMount()
                .endContainer()
                .endSpec()
                .build();
        namespace.apply(pod);
        namespace.awaitReady("ids");

        String id = exec("ids", "id");
        assertThat(id)
                .contains("uid=1000", "gid=2000")
                .containsPattern("groups=.*3000")
                .contains("4000");
        assertThat(exec("ids", "cat", "/proc/self/status")).contains("NoNewPrivs:\t1");

        CommandResult write = namespace.kubectl("exec", "ids", "--", "touch", "/not-allowed");
        assertThat(write.exitCode()).as(write.toString()).isNotZero();
        assertThat(write.stderr()).contains("Read-only file system");

        // the emptyDir belongs to the fsGroup, and files made in it inherit that group
        assertThat(exec("ids", "sh", "-c", "touch /data/file && stat -c '%u %g' /data/file"))
                .isEqualTo("1000 3000\n");
    }

    @Test
    void capabilitiesAddedAndDroppedShowInTheEffectiveSetAndSeccompFollowsTheProfile() {
        Pod pod = BusyboxPods.pod("caps", "Always", "sleep 3600")
                .editSpec()
                .editFirstContainer()
                .withSecurityContext(new SecurityContextBuilder()
                        .withNewCapabilities()
                        .withAdd("NET_ADMIN")
                        .withDrop("ALL")
                        .endCapabilities()
                        .withNewSeccompProfile()
                        .withType("RuntimeDefault")
                        .endSeccompProfile()
                        .build())
                .endContainer()
                .endSpec()
                .build();
        namespace.apply(pod);
        namespace.apply(BusyboxPods.pod("unconfined", "Always", "sleep 3600")
                .editSpec()
                .editFirstContainer()
                .withSecurityContext(
                        new SecurityContextBuilder().withRunAsGroup(5000L).build())
                .endContainer()
                .endSpec()
                .build());
        namespace.awaitReady("caps");
        namespace.awaitReady("unconfined");

        String status = exec("caps", "cat", "/proc/self/status");
        assertThat(status).contains("CapEff:\t0000000000001000"); // CAP_NET_ADMIN (12) alone
        assertThat(status).contains("Seccomp:\t2");
        // without a profile the kubelet runs containers unconfined
        assertThat(exec("unconfined", "cat", "/proc/self/status")).contains("Seccomp:\t0");
        // a group without a user keeps the image's user (root here)
        assertThat(exec("unconfined", "id")).contains("uid=0", "gid=5000");
    }

    @Test
    void hostPidHostIpcSharedProcessNamespaceAndPrivilegedReachTheContainer() throws Exception {
        namespace.apply(BusyboxPods.pod("hostns", "Always", "sleep 3600")
                .editSpec()
                .withHostPID(true)
                .withHostIPC(true)
                .editFirstContainer()
                .withSecurityContext(
                        new SecurityContextBuilder().withPrivileged(true).build())
                .endContainer()
                .endSpec()
                .build());
        namespace.apply(BusyboxPods.pod("shared", "Always", "sleep 3603")
                .editSpec()
                .withShareProcessNamespace(true)
                .addNewContainer()
                .withName("peer")
                .withImage(BusyboxPods.IMAGE)
                .withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "3604")
                .endContainer()
                .endSpec()
                .build());
        namespace.awaitReady("hostns");
        namespace.awaitReady("shared");

        // the node's namespaces: the same IPC namespace as this test's JVM, and the node's processes
        String hostIpc = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/ipc"))
                .toString();
        assertThat(exec("hostns", "readlink", "/proc/self/ns/ipc")).isEqualTo(hostIpc + "\n");
        assertThat(exec("hostns", "cat", "/proc/1/cmdline")).doesNotContain("sleep");
        String status = exec("hostns", "cat", "/proc/self/status");
        String bounding =
                status.lines().filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow();
        assertThat(status).contains("CapEff:" + bounding.substring("CapBnd:".length()));

        // one PID namespace for the pod: each container sees the other's process
        assertThat(exec("shared", "ps")).contains("sleep 3604");
    }

    @Test
    void runAsNonRootRefusesARootImageWithTheKubeletsReasonAndAcceptsANonRootUser() {
        namespace.apply(BusyboxPods.pod("rooted", "Always", "sleep 3600")
                .editSpec()
                .withSecurityContext(
                        new PodSecurityContextBuilder().withRunAsNonRoot(true).build())
                .endSpec()
                .build());
        Pod refused = namespace.awaitWaiting("rooted", "CreateContainerConfigError");
        assertThat(TestNamespace.container(refused)
                        .orElseThrow()
                        .getState()
                        .getWaiting()
                        .getMessage())
                .isEqualTo("container has runAsNonRoot and image will run as root (pod: \"rooted_" + namespace.name()
                        + "(" + refused.getMetadata().getUid() + ")\", container: app)");
        assertThat(namespace.statusColumn("rooted")).isEqualTo("CreateContainerConfigError");
        namespace.awaitEvent("rooted", "Failed", "Error: container has runAsNonRoot and image will run as root");

        namespace.apply(BusyboxPods.pod("nonroot", "Always", "sleep 3600")
                .editSpec()
                .withSecurityContext(new PodSecurityContextBuilder()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(1000L)
                        .build())
                .endSpec()
                .build());
        namespace.awaitReady("nonroot");
        assertThat(exec("nonroot", "id", "-u")).isEqualTo("1000\n");
    }

    private static String exec(String pod, String... command) {
        return PodExec.run(namespace, pod, command);
    }
}

package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A container over its memory limit is killed by the kernel, and the kubelet says OOMKilled. */
@SandboxE2E
@Tag("node-agent")
class OomE2E {
    /** dd touches its whole 64 MiB buffer: four times the limit. */
    private static final String ALLOCATE_64_MIB = "dd if=/dev/zero of=/dev/null bs=64M count=1";

    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        assumeTrue(memoryControllerPresent(), "no cgroup memory controller: limits are not enforced here");
        namespace = TestNamespace.create(cluster, "e2e-oom");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    /** cgroup v1 mounts the controller on its own; v2 lists it among the root's controllers. */
    private static boolean memoryControllerPresent() {
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/memory"))) {
            return true;
        }
        try {
            return Files.readString(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                    .contains("memory");
        } catch (IOException e) {
            return false;
        }
    }

    private static Pod limited(String name, String restartPolicy) {
        return BusyboxPods.pod(name, restartPolicy, ALLOCATE_64_MIB)
                .editSpec()
                .editFirstContainer()
                .withResources(new ResourceRequirementsBuilder()
                        .withLimits(Map.of("memory", new Quantity("16Mi")))
                        .build())
                .endContainer()
                .endSpec()
                .build();
    }

    private static void assertOomKilled(ContainerStateTerminated terminated) {
        assertThat(terminated).isNotNull();
        assertThat(terminated.getReason()).isEqualTo("OOMKilled");
        assertThat(terminated.getExitCode()).isEqualTo(137);
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() {
        namespace.apply(limited("once", "Never"));
        namespace.apply(limited("again", "Always"));

        Pod once = namespace.awaitPhase("once", "Failed");
        assertOomKilled(TestNamespace.container(once).orElseThrow().getState().getTerminated());
        assertThat(namespace.statusColumn("once")).isEqualTo("OOMKilled");

        Pod again = namespace.awaitPod(
                "again",
                "to have been OOM-killed and restarted",
                pod -> TestNamespace.container(pod)
                        .map(c -> c.getRestartCount() >= 1 && c.getLastState().getTerminated() != null)
                        .orElse(false));
        ContainerStatus status = TestNamespace.container(again).orElseThrow();
        assertOomKilled(status.getLastState().getTerminated());
    }
}

package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.DistributionNode;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The agent killed with SIGKILL and started again (the unprivileged {@code petlet run} of the distribution): the
 * pods it ran keep running with the same containers and no restart; what changed in the API while it was down (a
 * new pod, a deleted one) is done once it is back.
 */
@SandboxE2E
@Tag("node-agent")
class AgentRestartE2E {
    private static final String FOREVER = "trap 'exit 0' TERM; while true; do sleep 1; done";

    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-restart");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void aKilledAgentReadoptsItsPodsWithoutRestartingThem(TestCluster cluster) throws Exception {
        DistributionNode node = cluster.distributionNode()
                .orElseThrow(() -> new AssertionError(
                        "AgentRestartE2E kills the node agent's process: run it with -Dpetlet.e2e.node=distribution"));
        namespace.apply(BusyboxPods.pod("kept", "Always", FOREVER).build());
        namespace.apply(BusyboxPods.pod("deleted-while-down", "Always", FOREVER).build());
        namespace.apply(BusyboxPods.pod("done", "Never", "echo done").build());
        ContainerStatus before =
                TestNamespace.container(namespace.awaitReady("kept")).orElseThrow();
        Pod deleted = namespace.awaitReady("deleted-while-down");
        String deletedId = TestNamespace.container(deleted).orElseThrow().getContainerID();
        Path deletedDirectory = node.stateDirectory()
                .resolve("pods")
                .resolve(deleted.getMetadata().getUid());
        assertThat(deletedDirectory).isDirectory();
        namespace.awaitPhase("done", "Succeeded");

        long pid = node.pid();
        node.kill();
        assertThat(Path.of("/proc/" + pid)).doesNotExist();
        // While the agent is down its containers keep running, and the API takes changes only it can carry out.
        assertThat(PodmanCli.run(
                        "inspect", "--format", "{{.State.Running}}", PodmanCli.containerId(before.getContainerID())))
                .isEqualTo("true\n");
        namespace.kubectlOk("delete", "pod", "deleted-while-down", "--wait=false");
        namespace.apply(BusyboxPods.pod("created-while-down", "Always", FOREVER).build());

        node.restart();

        namespace.awaitReady("created-while-down");
        Poll.untilTrue(
                TestNamespace.TIMEOUT,
                "pod deleted-while-down to be gone",
                () -> namespace.pod("deleted-while-down").isEmpty());
        Poll.untilTrue(TestNamespace.TIMEOUT, "its directory to be removed", () -> !Files.exists(deletedDirectory));
        assertThat(PodmanCli.run("ps", "-a", "-q", "--no-trunc")).doesNotContain(PodmanCli.containerId(deletedId));
        Pod kept = namespace.awaitReady("kept");
        ContainerStatus after = TestNamespace.container(kept).orElseThrow();
        assertThat(after.getContainerID()).isEqualTo(before.getContainerID());
        assertThat(after.getRestartCount()).isZero();
        assertThat(after.getState().getRunning().getStartedAt())
                .isEqualTo(before.getState().getRunning().getStartedAt());
        assertThat(namespace.pod("done").orElseThrow().getStatus().getPhase()).isEqualTo("Succeeded");
    }
}

package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Commands;
import dev.petlet.testing.Poll;
import dev.petlet.testing.Repository;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The agent rides out outages of what it depends on: running pods keep running with the same
 * containers, and once the dependency is back, new work is done again.
 */
@SandboxE2E
@Tag("node-agent")
class OutageE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-outage");
    }

    @AfterAll
    static void deleteNamespace() {
        namespace.close();
    }

    @Test
    void survivesAnApiServerOutage(TestCluster cluster) throws Exception {
        namespace.apply(BusyboxPods.pod("before-api", "Always", "trap 'exit 0' TERM; while true; do sleep 1; done")
                .build());
        String containerId =
                containerId(namespace.awaitReady("before-api").getMetadata().getName());

        Path pidFile = cluster.sandbox().stateDirectory().resolve("run/kube-apiserver.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim().split("\\s+")[0]);
        assertThat(Commands.run(Duration.ofSeconds(10), List.of("kill", "-9", Long.toString(pid)))
                        .exitCode())
                .isZero();
        // The sandbox's supervisor starts it again; the agent's watches and heartbeats reconnect.
        Poll.untilTrue(
                Duration.ofMinutes(2),
                "the API server to be back",
                () -> cluster.kubectl()
                        .run("get", "--raw", "/readyz")
                        .stdout()
                        .trim()
                        .equals("ok"));

        namespace.apply(BusyboxPods.pod("after-api", "Always", "trap 'exit 0' TERM; while true; do sleep 1; done")
                .build());
        namespace.awaitReady("after-api");
        assertThat(containerId("before-api"))
                .as("the running pod kept its container")
                .isEqualTo(containerId);
        assertThat(restartCount("before-api")).isZero();
    }

    @Test
    void survivesAPodmanServiceRestart() throws Exception {
        namespace.apply(BusyboxPods.pod("before-podman", "Always", "trap 'exit 0' TERM; while true; do sleep 1; done")
                .build());
        String containerId =
                containerId(namespace.awaitReady("before-podman").getMetadata().getName());

        long pid = Long.parseLong(
                Files.readString(Path.of("/run/petlet-podman.pid")).trim());
        assertThat(Commands.run(Duration.ofSeconds(10), List.of("kill", Long.toString(pid)))
                        .exitCode())
                .isZero();
        Poll.untilTrue(
                Duration.ofSeconds(30), "the podman service to stop", () -> !Files.exists(Path.of("/proc/" + pid)));
        CommandResult restarted = Commands.run(
                Duration.ofMinutes(2),
                List.of(Repository.root().resolve("scripts/podman-service").toString()));
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();

        // New work after the restart: a new pod runs, and a deleted one is stopped and removed.
        namespace.apply(BusyboxPods.pod("after-podman", "Always", "trap 'exit 0' TERM; while true; do sleep 1; done")
                .build());
        namespace.awaitReady("after-podman");
        assertThat(containerId("before-podman"))
                .as("the running pod kept its container")
                .isEqualTo(containerId);
        namespace.kubectlOk("delete", "pod", "before-podman", "--wait=false");
        Poll.untilTrue(
                Duration.ofMinutes(1),
                "the deleted pod to be gone",
                () -> namespace.pod("before-podman").isEmpty());
    }

    private static String containerId(String podName) {
        return namespace
                .pod(podName)
                .flatMap(TestNamespace::container)
                .map(c -> c.getContainerID())
                .orElseThrow();
    }

    private static int restartCount(String podName) {
        return namespace
                .pod(podName)
                .flatMap(TestNamespace::container)
                .map(c -> c.getRestartCount())
                .orElseThrow();
    }
}

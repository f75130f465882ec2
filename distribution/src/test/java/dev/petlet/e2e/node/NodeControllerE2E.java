package dev.petlet.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.petlet.core.PetletVersion;
import dev.petlet.core.event.EventRecorder;
import dev.petlet.core.node.Heartbeats;
import dev.petlet.core.node.ImageSummary;
import dev.petlet.core.node.NodeController;
import dev.petlet.core.node.NodeFactsCollector;
import dev.petlet.core.node.NodeSettings;
import dev.petlet.core.node.NodeTaint;
import dev.petlet.core.node.RuntimeInfo;
import dev.petlet.core.node.TaintEffect;
import dev.petlet.sandbox.binaries.KubernetesVersions;
import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Kubectl;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node controller with a real node identity ({@code system:node:<name>}) against the sandbox's API server,
 * which runs the Node authorizer and NodeRestriction: what it writes is checked with the real kubectl.
 */
@SandboxE2E
class NodeControllerE2E {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Fast heartbeats so the test sees several rounds; the Lease duration stays the kubelet's. */
    private static final Heartbeats FAST =
            new Heartbeats(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(40), Duration.ofSeconds(2));

    /** A runtime that is always up and holds two images. */
    private static final RuntimeInfo RUNTIME = new RuntimeInfo() {
        @Override
        public String versionString() {
            return "fake://1.0.0";
        }

        @Override
        public List<ImageSummary> images() {
            return List.of(
                    new ImageSummary(List.of("localhost/small:1"), 1_000),
                    new ImageSummary(List.of("localhost/large@sha256:abc", "localhost/large:2"), 9_000_000));
        }
    };

    @TempDir
    Path stateDirectory;

    private static String randomSuffix() {
        return IntStream.range(0, 6)
                .mapToObj(i ->
                        String.valueOf((char) ('a' + ThreadLocalRandom.current().nextInt(26))))
                .collect(Collectors.joining());
    }

    /** A client that authenticates as the node, with a certificate the cluster CA signed. */
    private static KubernetesClient nodeClient(TestCluster cluster, String nodeName) throws IOException {
        CertificateFiles certificate = cluster.sandbox()
                .pki()
                .issue(nodeName, "system:node:" + nodeName, List.of("system:nodes"), List.of(), List.of());
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(cluster.sandbox().server().toString())
                .withCaCertFile(cluster.sandbox().pki().caCertificate().toString())
                .withClientCertFile(certificate.certificate().toString())
                .withClientKeyFile(certificate.key().toString())
                // Read from a kubeconfig the algorithm is guessed from the PEM header; here it must be said.
                .withClientKeyAlgo("EC")
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static final NodeTaint NO_PODS = new NodeTaint("e2e.petlet.dev/no-pods", "", TaintEffect.NO_SCHEDULE);

    private NodeSettings settings(String nodeName, List<NodeTaint> taints) {
        return new NodeSettings(
                nodeName,
                nodeName,
                Map.of("e2e.petlet.dev/suite", "node"),
                // Keeps the other E2E classes' pods off this node, which runs no pods.
                taints,
                "127.0.0.1",
                Optional.of("203.0.113.7"),
                NodeSettings.DEFAULT_KUBELET_PORT,
                NodeSettings.DEFAULT_MAX_PODS,
                NodeSettings.kubeletVersion(KubernetesVersions.DEFAULT, PetletVersion.get()),
                Map.of("cpu", "100m"),
                FAST);
    }

    private NodeController controller(
            KubernetesClient client, String nodeName, List<NodeTaint> taints, EventRecorder events) {
        return new NodeController(
                client,
                settings(nodeName, taints),
                new NodeFactsCollector(RUNTIME, stateDirectory),
                events,
                Clock.systemUTC());
    }

    private static String run(Kubectl kubectl, String... arguments) {
        CommandResult result = kubectl.run(arguments);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout();
    }

    private static Node nodeAsKubectlSeesIt(TestCluster cluster, String nodeName) {
        String json = run(cluster.kubectl(), "get", "node", nodeName, "-o", "json");
        return cluster.client().getKubernetesSerialization().unmarshal(json, Node.class);
    }

    private static NodeCondition ready(Node node) {
        return node.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void registersHeartbeatsAndReportsNotReadyOnStop(TestCluster cluster) throws Exception {
        String nodeName = "e2e-node-" + randomSuffix();
        Kubectl kubectl = cluster.kubectl();
        try (KubernetesClient client = nodeClient(cluster, nodeName);
                EventRecorder events = new EventRecorder(client, nodeName, Clock.systemUTC())) {
            String uid;
            try (NodeController controller = controller(client, nodeName, List.of(NO_PODS), events)) {
                controller.start();
                assertThat(controller.awaitRegistration(TIMEOUT))
                        .as("node registered")
                        .isTrue();
                uid = controller.nodeUid().orElseThrow();

                Poll.untilTrue(TIMEOUT, "kubectl to show node " + nodeName + " Ready", () -> {
                    String line =
                            kubectl.run("get", "node", nodeName, "--no-headers").stdout();
                    return line.matches("(?s)" + nodeName + "\\s+Ready\\s.*");
                });
                assertThat(run(kubectl, "get", "node", nodeName)).contains("v1.33.13+petlet.");

                Node node = nodeAsKubectlSeesIt(cluster, nodeName);
                assertThat(node.getMetadata().getUid()).isEqualTo(uid);
                assertThat(node.getMetadata().getLabels())
                        .containsEntry("kubernetes.io/hostname", nodeName)
                        .containsEntry("kubernetes.io/os", "linux")
                        .containsKey("kubernetes.io/arch")
                        .containsEntry("e2e.petlet.dev/suite", "node");
                assertThat(node.getSpec().getTaints())
                        .extracting(Taint::getKey, Taint::getEffect)
                        .contains(tuple("e2e.petlet.dev/no-pods", "NoSchedule"));
                assertThat(node.getStatus().getAddresses())
                        .containsExactly(
                                new NodeAddress("127.0.0.1", "InternalIP"),
                                new NodeAddress("203.0.113.7", "ExternalIP"),
                                new NodeAddress(nodeName, "Hostname"));
                assertThat(node.getStatus()
                                .getDaemonEndpoints()
                                .getKubeletEndpoint()
                                .getPort())
                        .isEqualTo(10250);
                assertThat(node.getStatus().getNodeInfo().getKubeletVersion())
                        .isEqualTo("v1.33.13+petlet." + PetletVersion.get());
                assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion())
                        .isEqualTo("fake://1.0.0");
                assertThat(node.getStatus().getNodeInfo().getOperatingSystem()).isEqualTo("linux");
                assertThat(node.getStatus().getNodeInfo().getBootID()).isNotEmpty();
                assertThat(node.getStatus().getCapacity()).containsEntry("pods", new Quantity("110"));
                assertThat(Quantity.getAmountInBytes(
                                node.getStatus().getAllocatable().get("cpu")))
                        .isEqualByComparingTo(Quantity.getAmountInBytes(
                                        node.getStatus().getCapacity().get("cpu"))
                                .subtract(new BigDecimal("0.1")));
                assertThat(node.getStatus().getImages().get(0).getNames())
                        .containsExactly("localhost/large@sha256:abc", "localhost/large:2");
                assertThat(node.getStatus().getConditions())
                        .extracting(NodeCondition::getType, NodeCondition::getReason)
                        .contains(
                                tuple("Ready", "KubeletReady"),
                                tuple("MemoryPressure", "KubeletHasSufficientMemory"),
                                tuple("DiskPressure", "KubeletHasNoDiskPressure"),
                                tuple("PIDPressure", "KubeletHasSufficientPID"));

                String[] lease = run(
                                kubectl,
                                "get",
                                "lease",
                                "-n",
                                "kube-node-lease",
                                nodeName,
                                "-o",
                                "jsonpath={.spec.holderIdentity} {.spec.leaseDurationSeconds}"
                                        + " {.metadata.ownerReferences[0].kind} {.metadata.ownerReferences[0].uid}"
                                        + " {.spec.renewTime}")
                        .split(" ");
                assertThat(lease).startsWith(nodeName, "40", "Node", uid);
                String firstRenewal = lease[4];
                Poll.untilTrue(TIMEOUT, "the lease of " + nodeName + " to be renewed", () -> {
                    String renewTime = kubectl.run(
                                    "get",
                                    "lease",
                                    "-n",
                                    "kube-node-lease",
                                    nodeName,
                                    "-o",
                                    "jsonpath={.spec.renewTime}")
                            .stdout();
                    return !renewTime.isEmpty() && !renewTime.equals(firstRenewal);
                });

                Poll.untilTrue(TIMEOUT, "kubectl describe node to show the Starting and NodeReady events", () -> {
                    String described = kubectl.run("describe", "node", nodeName).stdout();
                    return described.contains("Starting petlet.") && described.contains("NodeReady");
                });
            }

            // close() returned: the final status is on the server already.
            NodeCondition stopped = ready(nodeAsKubectlSeesIt(cluster, nodeName));
            assertThat(stopped.getStatus()).isEqualTo("False");
            assertThat(stopped.getReason()).isEqualTo("KubeletNotReady");
            assertThat(stopped.getMessage()).isEqualTo("petlet is stopping");
            assertThat(run(kubectl, "get", "node", nodeName, "--no-headers")).contains("NotReady");

            // A taint configured later cannot be added by the node itself: NodeRestriction refuses, petlet
            // says how to add it, and adopts the Node all the same.
            NodeTaint later = new NodeTaint("e2e.petlet.dev/later", "", TaintEffect.NO_SCHEDULE);
            try (NodeController again = controller(client, nodeName, List.of(NO_PODS, later), events)) {
                again.start();
                assertThat(again.awaitRegistration(TIMEOUT)).isTrue();
                assertThat(again.nodeUid()).as("the same Node, adopted").contains(uid);
                // The node lifecycle controller may meanwhile add its own node.kubernetes.io/not-ready taint.
                assertThat(nodeAsKubectlSeesIt(cluster, nodeName).getSpec().getTaints())
                        .extracting(Taint::getKey)
                        .filteredOn(key -> !key.startsWith("node.kubernetes.io/"))
                        .containsExactly(NO_PODS.key());
                Poll.untilTrue(
                        TIMEOUT,
                        "the adopted node to be Ready again",
                        () -> "True"
                                .equals(ready(nodeAsKubectlSeesIt(cluster, nodeName))
                                        .getStatus()));
                // The node's own identity may patch events: the second start counts in the first's event.
                Poll.untilTrue(
                        TIMEOUT,
                        "the second Starting event to be folded into the first",
                        () -> kubectl.run(
                                        "get",
                                        "events",
                                        "-n",
                                        "default",
                                        "--field-selector",
                                        "involvedObject.name=" + nodeName + ",reason=Starting",
                                        "-o",
                                        "jsonpath={.items[*].count}")
                                .stdout()
                                .trim()
                                .equals("2"));
            }
        } finally {
            cluster.client().nodes().withName(nodeName).delete();
            cluster.client()
                    .v1()
                    .events()
                    .inNamespace("default")
                    .withField("involvedObject.name", nodeName)
                    .delete();
            cluster.client()
                    .resources(Lease.class)
                    .inNamespace("kube-node-lease")
                    .withName(nodeName)
                    .delete();
        }
    }

    @Test
    void theNodeIdentityMayNotTouchAnotherNode(TestCluster cluster) throws Exception {
        String nodeName = "e2e-node-" + randomSuffix();
        String otherName = "e2e-other-" + randomSuffix();
        cluster.client()
                .nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(otherName)
                        .endMetadata()
                        .build())
                .create();
        try (KubernetesClient client = nodeClient(cluster, nodeName)) {
            assertThatThrownBy(() -> client.nodes()
                            .withName(otherName)
                            .subresource("status")
                            .patch(
                                    PatchContext.of(PatchType.STRATEGIC_MERGE),
                                    "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"))
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403));
            assertThatThrownBy(() -> client.resources(Lease.class)
                            .inNamespace("kube-node-lease")
                            .resource(new LeaseBuilder()
                                    .withNewMetadata()
                                    .withName(otherName)
                                    .withNamespace("kube-node-lease")
                                    .endMetadata()
                                    .build())
                            .create())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
        } finally {
            cluster.client().nodes().withName(otherName).delete();
        }
    }
}

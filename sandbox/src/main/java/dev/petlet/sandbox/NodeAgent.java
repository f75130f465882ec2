package dev.petlet.sandbox;

import dev.petlet.core.Agent;
import dev.petlet.core.PetletVersion;
import dev.petlet.core.node.Heartbeats;
import dev.petlet.core.node.NodeSettings;
import dev.petlet.core.pod.PodNetworkSettings;
import dev.petlet.core.provider.Providers;
import dev.petlet.core.server.KubeletServerSettings;
import dev.petlet.core.volume.VolumeDrivers;
import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.sandbox.pki.ClusterPki;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.volume.VolumeDriver;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This machine as the sandbox's node: the petlet agent in-process, with a client certificate of
 * {@code system:node:<name>} in {@code system:nodes}, so the Node authorizer and NodeRestriction
 * treat it as they treat any node. Stopping drains the node first, so no pod outlives the sandbox.
 */
final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private final String nodeName;
    private final KubernetesClient nodeClient;
    private final ContainerRuntime runtime;
    private final Agent agent;
    private final SandboxNode options;
    private final List<VolumeDriver> volumeDrivers;

    private NodeAgent(
            String nodeName,
            KubernetesClient nodeClient,
            ContainerRuntime runtime,
            Agent agent,
            SandboxNode options,
            Collection<VolumeDriver> volumeDrivers) {
        this.volumeDrivers = List.copyOf(volumeDrivers);
        this.nodeName = nodeName;
        this.nodeClient = nodeClient;
        this.runtime = runtime;
        this.agent = agent;
        this.options = options;
    }

    static NodeAgent start(
            SandboxNode options,
            StateDirectory state,
            ClusterPki pki,
            HostIdentity host,
            String server,
            String kubernetesVersion)
            throws SandboxException, IOException {
        String nodeName = host.hostname();
        CertificateFiles credentials =
                pki.issue("node-client", "system:node:" + nodeName, List.of("system:nodes"), List.of(), List.of());
        Path kubeconfig = state.kubeconfig("node");
        Kubeconfig.write(
                kubeconfig,
                server,
                pki.caCertificate(),
                "system:node:" + nodeName,
                credentials.certificate(),
                credentials.key());
        Path nodeState = Files.createDirectories(state.root().resolve("node"));
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                .build();
        ContainerRuntime runtime = null;
        Map<String, VolumeDriver> drivers = new LinkedHashMap<>();
        try {
            Providers providers = Providers.installed(NodeAgent.class.getClassLoader());
            runtime = providers.runtime(
                    options.runtime(), options.runtimeConfig(), nodeName, nodeState, Clock.systemUTC());
            for (var driver : options.volumeDrivers().entrySet()) {
                drivers.put(
                        driver.getKey(),
                        providers.volumeDriver(
                                driver.getKey(), driver.getValue(), nodeName, nodeState, Clock.systemUTC()));
            }
            runtime.version(); // fails now, with the provider's advice, if the runtime is not reachable
            NodeSettings settings = new NodeSettings(
                    nodeName,
                    nodeName,
                    Map.of(),
                    List.of(),
                    host.address().getHostAddress(),
                    Optional.empty(),
                    options.kubeletPort(),
                    NodeSettings.DEFAULT_MAX_PODS,
                    NodeSettings.kubeletVersion(kubernetesVersion, PetletVersion.get()),
                    Map.of(),
                    Heartbeats.DEFAULT);
            // Signed by the cluster CA for the node's address: the API server verifies it
            // (--kubelet-certificate-authority) when it calls the node for logs, exec and port-forward.
            CertificateFiles serving = pki.issue(
                    "node-serving",
                    "system:node:" + nodeName,
                    List.of("system:nodes"),
                    List.of(host.hostname()),
                    List.of(host.address()));
            KubeletServerSettings kubeletApi = KubeletServerSettings.defaults(
                            nodeName, serving.certificate(), serving.key(), pki.caCertificate())
                    .withAddress("0.0.0.0", options.kubeletPort());
            Agent agent = Agent.start(
                    client,
                    runtime,
                    options.runtime(),
                    settings,
                    PodNetworkSettings.DEFAULT,
                    VolumeDrivers.of(drivers),
                    nodeState,
                    Optional.of(kubeletApi),
                    Clock.systemUTC());
            return new NodeAgent(nodeName, client, runtime, agent, options, drivers.values());
        } catch (ProviderException | IOException | RuntimeException e) {
            drivers.values().forEach(VolumeDriver::close);
            if (runtime != null) {
                runtime.close();
            }
            client.close();
            throw new SandboxException(
                    "cannot run this machine as the sandbox's node with the " + options.runtime() + " runtime: "
                            + e.getMessage(),
                    e);
        }
    }

    String nodeName() {
        return nodeName;
    }

    /** True when the Node reports Ready=True. */
    boolean isReady(KubernetesClient admin) {
        Node node = admin.nodes().withName(nodeName).get();
        return node != null
                && node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Describes the node's Ready condition, for a message when it does not become ready. */
    String readiness(KubernetesClient admin) {
        Node node = admin.nodes().withName(nodeName).get();
        if (node == null) {
            return "node " + nodeName + " is not registered";
        }
        return Optional.ofNullable(node.getStatus()).map(s -> s.getConditions()).orElse(List.of()).stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .map(NodeCondition::getMessage)
                .orElse("node " + nodeName + " reports no Ready condition");
    }

    /**
     * Drains the node (cordon, delete every pod on it, wait for the agent to finish them), then
     * stops the agent and removes whatever the runtime still holds for pods.
     */
    void drainAndStop(KubernetesClient admin) {
        try {
            setUnschedulable(admin, true);
            admin.pods().inAnyNamespace().withField("spec.nodeName", nodeName).delete();
            Instant deadline = Instant.now().plus(options.drainTimeout());
            while (!agent.pods().isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            if (!agent.pods().isEmpty()) {
                log.warn(
                        "{} pods did not finish within {}s; removing them from the runtime",
                        agent.pods().size(),
                        options.drainTimeout().toSeconds());
            }
        } catch (RuntimeException e) {
            log.warn("cannot drain node {}: {}", nodeName, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agent.close();
        agent.removeAllPodsFromRuntime();
        runtime.close();
        volumeDrivers.forEach(VolumeDriver::close);
        nodeClient.close();
    }

    /** Undoes the cordon of the previous stop: the node of a starting sandbox takes pods again. */
    void uncordon(KubernetesClient admin) {
        Node node = admin.nodes().withName(nodeName).get();
        if (node != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            setUnschedulable(admin, false);
        }
    }

    /**
     * A merge patch without a resourceVersion: the agent updates the same Node at the same time,
     * and a read-modify-write would fail with 409 Conflict.
     */
    private void setUnschedulable(KubernetesClient admin, boolean unschedulable) {
        admin.nodes()
                .withName(nodeName)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"unschedulable\":" + unschedulable + "}}");
    }

    /** Stops the agent without draining (pods keep running; for a start that failed half-way). */
    @Override
    public void close() {
        agent.close();
        runtime.close();
        volumeDrivers.forEach(VolumeDriver::close);
        nodeClient.close();
    }
}

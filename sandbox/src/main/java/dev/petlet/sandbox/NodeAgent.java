package dev.petlet.sandbox;

import dev.petlet.core.Agent;
import dev.petlet.core.PetletVersion;
import dev.petlet.core.cert.RenewalSchedule;
import dev.petlet.core.join.BootstrapTokenString;
import dev.petlet.core.join.CaCertificateHash;
import dev.petlet.core.join.JoinException;
import dev.petlet.core.join.KubeconfigFile;
import dev.petlet.core.join.NodeCredentials;
import dev.petlet.core.join.NodeJoin;
import dev.petlet.core.node.Heartbeats;
import dev.petlet.core.node.NodeSettings;
import dev.petlet.core.pod.PodNetworkSettings;
import dev.petlet.core.provider.Providers;
import dev.petlet.core.server.KubeletServerSettings;
import dev.petlet.core.volume.VolumeDrivers;
import dev.petlet.sandbox.pki.ClusterPki;
import dev.petlet.sandbox.pki.Pem;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.volume.VolumeDriver;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This machine as the sandbox's node: the petlet agent in-process, joined exactly as an external machine joins
 * (bootstrap token, CA pin, client certificate CSR approved by the csrapproving controller; serving certificate
 * CSR approved by {@link ServingCertificateApprover}), so it acts as {@code system:node:<name>} in {@code
 * system:nodes} under the Node authorizer and NodeRestriction. Stopping drains the node first, so no pod outlives
 * the sandbox.
 */
final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(1);

    private final String nodeName;
    private final NodeCredentials credentials;
    private final ServingCertificateApprover approver;
    private final ContainerRuntime runtime;
    private final Agent agent;
    private final SandboxNode options;
    private final List<VolumeDriver> volumeDrivers;

    private NodeAgent(
            String nodeName,
            NodeCredentials credentials,
            ServingCertificateApprover approver,
            ContainerRuntime runtime,
            Agent agent,
            SandboxNode options,
            Collection<VolumeDriver> volumeDrivers) {
        this.volumeDrivers = List.copyOf(volumeDrivers);
        this.nodeName = nodeName;
        this.credentials = credentials;
        this.approver = approver;
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
            String kubernetesVersion,
            BootstrapToken token,
            KubernetesClient admin,
            Consumer<String> progress)
            throws SandboxException, IOException {
        String nodeName = host.hostname();
        Path nodeState = Files.createDirectories(state.root().resolve("node"));
        List<String> servingNames = List.of(host.hostname());
        List<InetAddress> servingAddresses = List.of(host.address());
        ServingCertificateApprover approver =
                ServingCertificateApprover.start(admin, nodeName, servingNames, servingAddresses);
        NodeCredentials credentials = null;
        ContainerRuntime runtime = null;
        Map<String, VolumeDriver> drivers = new LinkedHashMap<>();
        try {
            String ca = Files.readString(pki.caCertificate());
            forgetOtherClusters(nodeState, ca);
            if (!Files.exists(nodeState.resolve(NodeJoin.KUBECONFIG))) {
                // Exactly what an external machine does: token discovery, CA pin, client certificate CSR.
                progress.accept("joining node " + nodeName + " with the bootstrap token");
                NodeJoin.join(
                        new NodeJoin.TokenDiscovery(
                                server,
                                new BootstrapTokenString(token.id(), token.secret()),
                                CaCertificateHash.of(Pem.readCertificate(pki.caCertificate()))),
                        new NodeJoin.Request(
                                nodeName,
                                nodeState,
                                nodeState.resolve("petlet.yaml"),
                                Optional.of(options.kubeletPort()),
                                Optional.of(host.address().getHostAddress()),
                                Optional.empty(),
                                JOIN_TIMEOUT),
                        line -> log.info("{}", line),
                        Clock.systemUTC());
            }
            credentials = NodeCredentials.start(
                    new NodeCredentials.Settings(
                            nodeName,
                            nodeState.resolve(NodeJoin.KUBECONFIG),
                            Optional.of(nodeState.resolve(NodeJoin.BOOTSTRAP_KUBECONFIG)),
                            nodeState.resolve(NodeJoin.PKI),
                            true,
                            servingNames,
                            servingAddresses,
                            Optional.empty(),
                            RenewalSchedule.kubelet(),
                            JOIN_TIMEOUT),
                    line -> log.info("{}", line),
                    Clock.systemUTC());
            awaitServingCertificate(credentials);
            KubernetesClient client = credentials.client();
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
            // The serving certificate comes from a kubelet-serving CSR that the approver above grants: the API
            // server verifies it (--kubelet-certificate-authority) when it calls the node for logs and exec.
            NodeCredentials.ServingFiles serving = credentials.serving().orElseThrow();
            KubeletServerSettings kubeletApi = KubeletServerSettings.defaults(
                            nodeName, serving.certificate(), serving.key(), serving.clientCa())
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
            return new NodeAgent(nodeName, credentials, approver, runtime, agent, options, drivers.values());
        } catch (ProviderException | IOException | JoinException | RuntimeException e) {
            drivers.values().forEach(VolumeDriver::close);
            if (runtime != null) {
                runtime.close();
            }
            if (credentials != null) {
                credentials.close();
            }
            approver.close();
            throw new SandboxException(
                    "cannot run this machine as the sandbox's node with the " + options.runtime() + " runtime: "
                            + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drivers.values().forEach(VolumeDriver::close);
            if (runtime != null) {
                runtime.close();
            }
            if (credentials != null) {
                credentials.close();
            }
            approver.close();
            throw new SandboxException("interrupted while the node joined", e);
        }
    }

    /**
     * A state directory from a sandbox whose CA was regenerated holds credentials no API server of this
     * sandbox accepts: forget them, so the node joins again.
     */
    private static void forgetOtherClusters(Path nodeState, String ca) throws IOException {
        Path kubeconfig = nodeState.resolve(NodeJoin.KUBECONFIG);
        if (!Files.exists(kubeconfig)) {
            return;
        }
        String joinedCa;
        try {
            joinedCa = KubeconfigFile.read(kubeconfig).caCertificatePem();
        } catch (IOException e) {
            joinedCa = "";
        }
        if (joinedCa.equals(ca)) {
            return;
        }
        log.info("the node's credentials in {} are from another cluster CA; joining again", nodeState);
        Files.deleteIfExists(kubeconfig);
        Files.deleteIfExists(nodeState.resolve(NodeJoin.BOOTSTRAP_KUBECONFIG));
        Files.deleteIfExists(nodeState.resolve("petlet.yaml"));
        Path pki = nodeState.resolve(NodeJoin.PKI);
        if (Files.exists(pki)) {
            try (Stream<Path> files = Files.walk(pki)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Waits until the serving CSR is issued, so the API server can verify the node once the sandbox is ready. */
    private static void awaitServingCertificate(NodeCredentials credentials)
            throws SandboxException, InterruptedException {
        Instant deadline = Instant.now().plus(JOIN_TIMEOUT);
        while (credentials.servingCertificate().map(c -> c.selfSigned()).orElse(false)) {
            if (Instant.now().isAfter(deadline)) {
                throw new SandboxException("the node's kubelet-serving certificate request was not issued within "
                        + JOIN_TIMEOUT.toSeconds() + " s; see kube-controller-manager's log");
            }
            Thread.sleep(50);
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
        credentials.close();
        approver.close();
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
        credentials.close();
        approver.close();
    }
}

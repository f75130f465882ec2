package dev.petlet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.petlet.core.Agent;
import dev.petlet.core.PetletVersion;
import dev.petlet.core.cert.AgentHttpClientFactory;
import dev.petlet.core.cert.RenewalSchedule;
import dev.petlet.core.config.ConfigException;
import dev.petlet.core.config.HostDefaults;
import dev.petlet.core.config.PetletConfig;
import dev.petlet.core.join.NodeCredentials;
import dev.petlet.core.join.NodeJoin;
import dev.petlet.core.provider.Providers;
import dev.petlet.core.server.KubeletServerSettings;
import dev.petlet.core.volume.VolumeDrivers;
import dev.petlet.sandbox.binaries.KubernetesVersions;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.volume.VolumeDriver;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code petlet run}: the node agent, configured by {@code petlet.yaml} and flags that override it. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the node agent: register this machine as a node and run its pods, until SIGTERM or Ctrl-C.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", description = "The configuration file (default: conf/petlet.yaml in the distribution).")
    Path config;

    @Option(names = "--kubeconfig", description = "Overrides `kubeconfig`: the node's credentials.")
    Path kubeconfig;

    @Option(names = "--node-name", description = "Overrides `nodeName`.")
    String nodeName;

    @Option(names = "--node-ip", description = "Overrides `nodeIP`.")
    String nodeIp;

    @Option(names = "--state-dir", description = "Overrides `stateDir`.")
    Path stateDirectory;

    @Option(names = "--podman-socket", description = "Overrides `runtime.config.socket`.")
    Path podmanSocket;

    @Option(names = "--tls-cert-file", description = "The kubelet API's serving certificate (PEM).")
    Path servingCertificate;

    @Option(names = "--tls-private-key-file", description = "The kubelet API's serving key (PEM).")
    Path servingKey;

    @Option(names = "--client-ca-file", description = "The CA that signs client certificates (the cluster CA).")
    Path clientCa;

    @Option(
            names = "--certificate-lifetime",
            hidden = true,
            converter = DurationConverter.class,
            description = "For tests: the certificate lifetime to request in CSRs (at least 10m).")
    Duration certificateLifetime;

    @Option(
            names = "--certificate-renewal-fraction",
            hidden = true,
            description = "For tests: renew certificates at this fraction of their lifetime instead of 70-90%.")
    Double renewalFraction;

    @Override
    public Integer call() throws Exception {
        PetletConfig settings = load();
        Path credentials = settings.kubeconfig()
                .orElseThrow(
                        () -> new IllegalArgumentException(
                                "kubeconfig: not set; give the node's credentials with --kubeconfig or in the configuration file"));
        NodeCredentials rotating = null;
        KubernetesClient client;
        if (settings.rotateCertificates()) {
            rotating = NodeCredentials.start(
                    credentialSettings(settings, credentials),
                    line -> System.err.println("petlet: " + line),
                    Clock.systemUTC());
            client = rotating.client();
        } else {
            client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(credentials)))
                    .withHttpClientFactory(new AgentHttpClientFactory())
                    .build();
        }
        NodeCredentials nodeCredentials = rotating;
        Providers providers = Providers.installed(RunCommand.class.getClassLoader());
        Map<String, VolumeDriver> drivers = new LinkedHashMap<>();
        for (var driver : settings.volumeDrivers()) {
            drivers.put(
                    driver.provider(),
                    providers.volumeDriver(
                            driver.provider(),
                            driver.config(),
                            settings.nodeName(),
                            settings.stateDir(),
                            Clock.systemUTC()));
        }
        ContainerRuntime runtime = providers.runtime(
                settings.runtime().provider(),
                settings.runtime().config(),
                settings.nodeName(),
                settings.stateDir(),
                Clock.systemUTC());
        Agent agent = Agent.start(
                client,
                runtime,
                settings.runtime().provider(),
                settings.nodeSettings(KubernetesVersions.DEFAULT, PetletVersion.get()),
                settings.podNetworkSettings(),
                VolumeDrivers.of(drivers),
                settings.stateDir(),
                kubeletServer(settings, Optional.ofNullable(nodeCredentials)),
                Clock.systemUTC());
        HeapTrimmer.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            agent.close();
                            runtime.close();
                            drivers.values().forEach(VolumeDriver::close);
                            if (nodeCredentials != null) {
                                nodeCredentials.close();
                            } else {
                                client.close();
                            }
                            stopped.countDown();
                        },
                        "petlet-shutdown"));
        stopped.await();
        return 0;
    }

    private NodeCredentials.Settings credentialSettings(PetletConfig settings, Path kubeconfig) throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        addresses.add(InetAddress.getByName(settings.nodeIP()));
        if (settings.externalIP().isPresent()) {
            addresses.add(InetAddress.getByName(settings.externalIP().get()));
        }
        return new NodeCredentials.Settings(
                settings.nodeName(),
                kubeconfig,
                settings.bootstrapKubeconfig(),
                settings.stateDir().resolve(NodeJoin.PKI),
                settings.serverTLSBootstrap(),
                List.of(settings.nodeName()),
                addresses,
                Optional.ofNullable(certificateLifetime),
                renewalFraction == null ? RenewalSchedule.kubelet() : RenewalSchedule.atFraction(renewalFraction),
                Duration.ofMinutes(15));
    }

    /**
     * The kubelet API's serving certificate: given by flags, else bootstrapped ({@code serverTLSBootstrap}), else
     * the API is not served.
     */
    private Optional<KubeletServerSettings> kubeletServer(
            PetletConfig settings, Optional<NodeCredentials> credentials) {
        Optional<NodeCredentials.ServingFiles> bootstrapped = credentials.flatMap(NodeCredentials::serving);
        if (servingCertificate == null && bootstrapped.isPresent()) {
            NodeCredentials.ServingFiles files = bootstrapped.get();
            return Optional.of(KubeletServerSettings.defaults(
                            settings.nodeName(), files.certificate(), files.key(), files.clientCa())
                    .withAddress("0.0.0.0", settings.kubeletPort()));
        }
        if (servingCertificate == null || servingKey == null || clientCa == null) {
            System.err.println("petlet: not serving the kubelet API (logs, exec, attach, port-forward): give "
                    + "--tls-cert-file, --tls-private-key-file and --client-ca-file, or set serverTLSBootstrap");
            return Optional.empty();
        }
        return Optional.of(KubeletServerSettings.defaults(settings.nodeName(), servingCertificate, servingKey, clientCa)
                .withAddress("0.0.0.0", settings.kubeletPort()));
    }

    /** The file with the flags applied before validation, so an override is checked like the file. */
    private PetletConfig load() throws IOException, ConfigException {
        Path file = Optional.ofNullable(config).orElseGet(RunCommand::defaultConfig);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, Object> values = new LinkedHashMap<>();
        if (Files.exists(file)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = yaml.readValue(file.toFile(), Map.class);
            if (read != null) {
                values.putAll(read);
            }
        } else if (config != null) {
            throw new IllegalArgumentException(file + ": the configuration file does not exist");
        }
        put(values, "kubeconfig", kubeconfig);
        put(values, "nodeName", nodeName);
        put(values, "nodeIP", nodeIp);
        put(values, "stateDir", stateDirectory);
        if (podmanSocket != null) {
            values.put("runtime", Map.of("provider", "podman", "config", Map.of("socket", podmanSocket.toString())));
        }
        return PetletConfig.parse(
                yaml.writeValueAsString(values),
                file.toString(),
                file.toAbsolutePath().getParent(),
                HostDefaults.system());
    }

    private static void put(Map<String, Object> values, String key, Object value) {
        if (value != null) {
            values.put(key, value instanceof Path path ? path.toAbsolutePath().toString() : value);
        }
    }

    private static Path defaultConfig() {
        return Path.of(System.getProperty("petlet.home", "."), "conf", "petlet.yaml");
    }
}

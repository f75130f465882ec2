package dev.petlet.sandbox;

import static java.util.Objects.requireNonNull;

import dev.petlet.sandbox.binaries.BinaryResolutionException;
import dev.petlet.sandbox.binaries.BinaryResolver;
import dev.petlet.sandbox.binaries.BinarySet;
import dev.petlet.sandbox.binaries.MetricsServerBinary;
import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.sandbox.pki.ClusterPki;
import dev.petlet.sandbox.pki.Pem;
import dev.petlet.sandbox.pki.PkiSpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running local control plane: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and metrics-server as supervised child processes, with a PKI, kubeconfigs and the objects nodes
 * need to join. {@link #start} returns once the cluster is ready; {@link #close} stops it all.
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(100);

    private final SandboxOptions options;
    private final StateDirectory state;
    private final Supervisor supervisor;
    /** Add-ons (metrics-server): restarted when they exit, but neither their crashes nor their state stop the sandbox. */
    private volatile Supervisor addons;

    private final ClusterPki pki;
    private final BootstrapToken bootstrapToken;
    private final HealthProbe apiserverProbe;
    private volatile NodeAgent node;
    private volatile KubernetesClient admin;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Optional<String> failure = Optional.empty();
    private volatile boolean closed;

    private Sandbox(
            SandboxOptions options,
            StateDirectory state,
            Supervisor supervisor,
            ClusterPki pki,
            BootstrapToken bootstrapToken)
            throws IOException {
        this.options = options;
        this.state = state;
        this.supervisor = supervisor;
        this.pki = pki;
        this.bootstrapToken = bootstrapToken;
        this.apiserverProbe = HealthProbe.authenticated(
                "kube-apiserver",
                server().resolve("/readyz"),
                Pem.readCertificate(pki.caCertificate()),
                Pem.readCertificate(pki.adminCertificate()),
                Pem.readPrivateKey(pki.adminKey()));
    }

    /**
     * Starts a sandbox and waits until it is ready. On failure nothing is left running and the
     * state directory is unlocked.
     *
     * @param progress receives one human-readable line per step
     */
    public static Sandbox start(SandboxOptions options, Consumer<String> progress) throws SandboxException {
        requireNonNull(options, "options");
        requireNonNull(progress, "progress");
        Instant begin = Instant.now();
        if (options.requireRoot() && !isRoot()) {
            throw new SandboxException("petlet sandbox must run as root, because it runs this machine's pods "
                    + "with Podman and programs its network: run 'sudo ./petlet sandbox'");
        }
        StateDirectory state = StateDirectory.lock(options.stateDirectory());
        Supervisor supervisor = null;
        Sandbox[] self = new Sandbox[1];
        try {
            ProcessTable processes = ProcessTable.system();
            new StaleProcesses(processes, progress).stopAll(state.pids());
            checkPortsFree(options.ports(), options.node().map(SandboxNode::kubeletPort), processes);
            BinarySet binaries = resolveBinaries(options, progress);
            Optional<Path> metricsServer = new MetricsServerBinary(options.binaries(), progress).resolve();

            HostIdentity host = HostIdentity.detect();
            ClusterPki pki = ClusterPki.ensure(state.pki(), pkiSpec(host), Clock.systemUTC());
            String server = "https://127.0.0.1:" + options.ports().apiserver();
            writeKubeconfigs(state, pki, server);
            BootstrapToken token =
                    BootstrapToken.loadOrCreate(state.root().resolve("bootstrap-token"), new SecureRandom());

            supervisor = new Supervisor(state.logs(), state.pids(), processes, message -> self[0].fail(message));
            Sandbox sandbox = new Sandbox(options, state, supervisor, pki, token);
            self[0] = sandbox;
            ControlPlaneCommands commands = new ControlPlaneCommands(
                    binaries, pki, state, options.ports(), host.address(), options.clusterSigningDuration());
            // The API server retries etcd, so both start at once. The controller-manager and the
            // scheduler exit if RBAC is not bootstrapped yet, so they wait for the API server.
            Files.writeString(commands.authenticationConfigFile(), ControlPlaneCommands.authenticationConfiguration());
            progress.accept("starting etcd and kube-apiserver " + binaries.kubernetesVersion() + " (logs in "
                    + state.logs() + ")");
            supervisor.start(commands.etcd());
            supervisor.start(commands.kubeApiserver());
            sandbox.awaitHealthy(List.of(sandbox.apiserverProbe));
            progress.accept("starting kube-controller-manager and kube-scheduler");
            supervisor.start(commands.kubeControllerManager());
            supervisor.start(commands.kubeScheduler());
            try (KubernetesClient client = sandbox.adminClient()) {
                ClusterBootstrap.apply(
                        client, ClusterBootstrap.objects(token, server, Files.readAllBytes(pki.caCertificate())));
                if (metricsServer.isPresent()) {
                    sandbox.startMetricsServer(metricsServer.get(), commands, host, server, client, progress);
                }
            }
            sandbox.awaitHealthy(List.of(
                    HealthProbe.loopbackSelfSigned(
                            "kube-controller-manager", options.ports().controllerManager()),
                    HealthProbe.loopbackSelfSigned(
                            "kube-scheduler", options.ports().scheduler())));
            supervisor.restartOnExit();
            if (options.node().isPresent()) {
                sandbox.startNode(options.node().get(), host, server, binaries.kubernetesVersion(), progress);
            }
            progress.accept(String.format(
                    "cluster ready in %.1f s",
                    Duration.between(begin, Instant.now()).toMillis() / 1000.0));
            return sandbox;
        } catch (SandboxException | RuntimeException e) {
            stopNodeQuietly(self[0]);
            stopAddOns(self[0]);
            stopQuietly(supervisor, state);
            throw e;
        } catch (IOException e) {
            stopNodeQuietly(self[0]);
            stopAddOns(self[0]);
            stopQuietly(supervisor, state);
            throw new SandboxException(
                    "cannot prepare the sandbox in " + options.stateDirectory() + ": " + e.getMessage(), e);
        }
    }

    /** {@code --clean}: deletes a state directory's contents; refused while a sandbox uses it. */
    public static void clean(Path stateDirectory) throws SandboxException {
        StateDirectory.clean(stateDirectory.toAbsolutePath().normalize());
    }

    /** The kubeconfig of a cluster administrator (group system:masters). */
    public Path adminKubeconfig() {
        return state.adminKubeconfig();
    }

    public Path stateDirectory() {
        return state.root();
    }

    /** The API server URL as seen from this machine. */
    public URI server() {
        return URI.create("https://127.0.0.1:" + options.ports().apiserver());
    }

    public BootstrapToken bootstrapToken() {
        return bootstrapToken;
    }

    public ClusterPki pki() {
        return pki;
    }

    /** A new client with the admin's credentials; the caller closes it. */
    public KubernetesClient adminClient() throws IOException {
        return new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(adminKubeconfig())))
                .build();
    }

    /** True while every component runs and the API server answers ready. */
    public boolean isReady() {
        if (closed || failure.isPresent()) {
            return false;
        }
        try {
            supervisor.checkAllRunning();
        } catch (SandboxException e) {
            return false;
        }
        if (apiserverProbe.check().isPresent()) {
            return false;
        }
        NodeAgent running = node;
        try {
            return running == null || running.isReady(admin);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The name of this machine's node in the cluster, if the sandbox runs one. */
    public Optional<String> nodeName() {
        return Optional.ofNullable(node).map(NodeAgent::nodeName);
    }

    private void startNode(
            SandboxNode settings, HostIdentity host, String server, String kubernetesVersion, Consumer<String> progress)
            throws SandboxException, IOException {
        admin = adminClient();
        progress.accept("starting the node agent (" + settings.runtime() + ") for node " + host.hostname());
        node = NodeAgent.start(settings, state, pki, host, server, kubernetesVersion, bootstrapToken, admin, progress);
        node.uncordon(admin);
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (!node.isReady(admin)) {
            supervisor.checkAllRunning();
            if (Instant.now().isAfter(deadline)) {
                throw new SandboxException("node " + node.nodeName() + " did not become Ready within "
                        + READY_TIMEOUT.toMinutes() + " minutes: " + node.readiness(admin));
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("interrupted while waiting for the node to become ready", e);
            }
        }
    }

    /**
     * Starts metrics-server without waiting for it: its first metrics come a scrape or two after the node is up,
     * and nothing in the sandbox's readiness depends on them.
     */
    private void startMetricsServer(
            Path binary,
            ControlPlaneCommands commands,
            HostIdentity host,
            String server,
            KubernetesClient client,
            Consumer<String> progress)
            throws SandboxException, IOException {
        if (host.address().isLoopbackAddress()) {
            progress.accept("not starting metrics-server: this machine has no address but loopback, which the API"
                    + " server cannot use as an endpoint (kubectl top will not work)");
            return;
        }
        CertificateFiles serving = pki.issue(
                MetricsServerAddon.NAME,
                MetricsServerAddon.NAME,
                List.of(),
                List.of(MetricsServerAddon.SERVICE_DNS_NAME),
                List.of(host.address()));
        CertificateFiles clientCertificate = pki.issue(
                MetricsServerAddon.NAME + "-client", MetricsServerAddon.USER, List.of(), List.of(), List.of());
        Path kubeconfig = state.kubeconfig(MetricsServerAddon.NAME);
        Kubeconfig.write(
                kubeconfig,
                server,
                pki.caCertificate(),
                MetricsServerAddon.USER,
                clientCertificate.certificate(),
                clientCertificate.key());
        ClusterBootstrap.apply(
                client,
                MetricsServerAddon.objects(
                        host.address(), options.ports().metricsServer(), Files.readAllBytes(pki.caCertificate())));
        progress.accept("starting metrics-server " + MetricsServerBinary.VERSION + " on "
                + host.address().getHostAddress() + ":" + options.ports().metricsServer());
        Supervisor addOnSupervisor = new Supervisor(
                state.logs(),
                state.pids(),
                ProcessTable.system(),
                message -> log.warn("{}; the sandbox runs on without it (kubectl top will not work)", message));
        addons = addOnSupervisor;
        addOnSupervisor.restartOnExit();
        addOnSupervisor.start(commands.metricsServer(binary, serving, clientCertificate, kubeconfig));
    }

    private static void stopAddOns(Sandbox sandbox) {
        if (sandbox != null && sandbox.addons != null) {
            sandbox.addons.close();
            sandbox.addons = null;
        }
    }

    private static void stopNodeQuietly(Sandbox sandbox) {
        if (sandbox != null && sandbox.node != null) {
            sandbox.node.close();
            sandbox.node = null;
        }
        if (sandbox != null && sandbox.admin != null) {
            sandbox.admin.close();
        }
    }

    /** Why the sandbox gave up by itself (a component that kept crashing), if it did. */
    public Optional<String> failure() {
        return failure;
    }

    /** Blocks until the sandbox has stopped, or gave up by itself; true if it did within the time. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops every component in reverse order and unlocks the state directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("stopping the sandbox");
        NodeAgent running = node;
        if (running != null) {
            running.drainAndStop(admin);
            node = null;
        }
        if (admin != null) {
            admin.close();
        }
        stopAddOns(this);
        stopQuietly(supervisor, state);
        stopped.countDown();
        log.info("sandbox stopped");
    }

    private void fail(String message) {
        log.error("{}; stopping the sandbox", message);
        failure = Optional.of(message);
        stopped.countDown();
    }

    private void awaitHealthy(List<HealthProbe> probes) throws SandboxException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        Map<String, String> lastProblem = new LinkedHashMap<>();
        List<HealthProbe> waiting = new ArrayList<>(probes);
        while (!waiting.isEmpty()) {
            supervisor.checkAllRunning();
            waiting.removeIf(probe -> {
                Optional<String> problem = probe.check();
                problem.ifPresent(p -> lastProblem.put(probe.name(), p));
                return problem.isEmpty();
            });
            if (waiting.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                HealthProbe first = waiting.get(0);
                throw new SandboxException(first.name() + " did not become healthy within " + READY_TIMEOUT.toMinutes()
                        + " minutes (last answer: " + lastProblem.get(first.name()) + "); the end of "
                        + supervisor.logFile(first.name()) + ":\n"
                        + Supervisor.tail(supervisor.logFile(first.name()), 20));
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("interrupted while waiting for the cluster to become ready", e);
            }
        }
    }

    private static BinarySet resolveBinaries(SandboxOptions options, Consumer<String> progress)
            throws SandboxException {
        try {
            return new BinaryResolver(options.binaries(), progress).resolve();
        } catch (BinaryResolutionException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    private static PkiSpec pkiSpec(HostIdentity host) throws IOException {
        List<InetAddress> addresses = new ArrayList<>(
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName(firstServiceAddress())));
        if (!addresses.contains(host.address())) {
            addresses.add(host.address());
        }
        return new PkiSpec(
                List.of("localhost", host.hostname()), addresses, Duration.ofDays(365), Duration.ofDays(3650));
    }

    private static String firstServiceAddress() {
        String network = ControlPlaneCommands.SERVICE_CIDR.substring(0, ControlPlaneCommands.SERVICE_CIDR.indexOf('/'));
        return network.substring(0, network.lastIndexOf('.')) + ".1";
    }

    private static void writeKubeconfigs(StateDirectory state, ClusterPki pki, String server) throws IOException {
        Kubeconfig.write(
                state.adminKubeconfig(),
                server,
                pki.caCertificate(),
                "petlet-admin",
                pki.adminCertificate(),
                pki.adminKey());
        Kubeconfig.write(
                state.kubeconfig("kube-controller-manager"),
                server,
                pki.caCertificate(),
                "system:kube-controller-manager",
                pki.controllerManagerCertificate(),
                pki.controllerManagerKey());
        Kubeconfig.write(
                state.kubeconfig("kube-scheduler"),
                server,
                pki.caCertificate(),
                "system:kube-scheduler",
                pki.schedulerCertificate(),
                pki.schedulerKey());
    }

    private static void checkPortsFree(SandboxPorts ports, Optional<Integer> kubeletPort, ProcessTable processes)
            throws SandboxException {
        Map<Integer, String> wanted = new LinkedHashMap<>();
        wanted.put(ports.apiserver(), "kube-apiserver (--apiserver-port)");
        wanted.put(ports.etcdClient(), "etcd clients (--etcd-port)");
        wanted.put(ports.etcdPeer(), "etcd peers (--etcd-port + 1)");
        wanted.put(ports.controllerManager(), "kube-controller-manager (--controller-manager-port)");
        wanted.put(ports.scheduler(), "kube-scheduler (--scheduler-port)");
        wanted.put(ports.metricsServer(), "metrics-server (--control-port + 1)");
        kubeletPort.ifPresent(port -> wanted.put(port, "the node's kubelet API (--kubelet-port)"));
        for (Map.Entry<Integer, String> port : wanted.entrySet()) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(port.getKey()));
            } catch (IOException e) {
                String owner = processes
                        .describeListener(port.getKey())
                        .map(o -> " by " + o)
                        .orElse("");
                throw new SandboxException("port " + port.getKey() + " for " + port.getValue() + " is already in use"
                        + owner + "; stop that process or choose another port with the option shown");
            }
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> line.split("\\s+")[2])
                    .anyMatch("0"::equals);
        } catch (IOException e) {
            return false;
        }
    }

    private static void stopQuietly(Supervisor supervisor, StateDirectory state) {
        if (supervisor != null) {
            supervisor.close();
        }
        try {
            state.close();
        } catch (IOException e) {
            log.debug("could not unlock the state directory", e);
        }
    }
}

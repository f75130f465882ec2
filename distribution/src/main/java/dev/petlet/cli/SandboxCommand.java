package dev.petlet.cli;

import dev.petlet.sandbox.Sandbox;
import dev.petlet.sandbox.SandboxException;
import dev.petlet.sandbox.SandboxNode;
import dev.petlet.sandbox.SandboxOptions;
import dev.petlet.sandbox.SandboxPorts;
import dev.petlet.sandbox.SandboxRunner;
import dev.petlet.sandbox.binaries.BinaryResolver;
import dev.petlet.sandbox.binaries.BinarySet;
import dev.petlet.sandbox.binaries.KubernetesVersions;
import dev.petlet.sandbox.binaries.MetricsServerBinary;
import dev.petlet.sandbox.binaries.ResolverOptions;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code petlet sandbox}: a local control plane with this machine as its node. */
@Command(
        name = "sandbox",
        mixinStandardHelpOptions = true,
        description = {
            "Run a local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler)"
                    + " with this machine as its node, until Ctrl-C, SIGTERM, --timeout or POST /stop on the control port.",
            "Binaries are taken from --bin-dir, PATH, the cache, an official release download (checksum verified),"
                    + " or built with Go."
        })
final class SandboxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--state-dir", description = "State directory (default: ${DEFAULT-VALUE}).")
    Path stateDirectory = SandboxOptions.DEFAULT_STATE_DIRECTORY;

    @Option(
            names = "--timeout",
            converter = DurationConverter.class,
            description = "Stop by itself after this long, e.g. 10m or 1h30m.")
    Duration timeout;

    @Option(
            names = "--clean",
            description = "Delete the state directory's contents (cluster data, PKI, logs) and exit.")
    boolean clean;

    @Option(names = "--no-node", description = "Run the control plane only, without this machine as its node.")
    boolean noNode;

    @Option(names = "--podman-socket", description = "Podman's API socket (default: /run/podman/podman.sock).")
    Path podmanSocket;

    @Option(names = "--kubelet-port", description = "The node's kubelet API port (default: ${DEFAULT-VALUE}).")
    int kubeletPort = 10250;

    @Option(
            names = "--prepare",
            description = "Only find or obtain the Kubernetes binaries and metrics-server, then exit.")
    boolean prepare;

    @Option(names = "--kubernetes-version", description = "Kubernetes version to run (default: ${DEFAULT-VALUE}).")
    String kubernetesVersion = KubernetesVersions.DEFAULT;

    @Option(
            names = "--bin-dir",
            description = "Directory holding etcd, kube-apiserver, kube-controller-manager and kube-scheduler.")
    Path binDirectory;

    @Option(
            names = "--cache-dir",
            description = "Where downloaded or built binaries are kept (default: ~/.cache/petlet/kubernetes).")
    Path cacheDirectory;

    @Option(names = "--release-url", hidden = true, description = "Base URL of Kubernetes releases.")
    URI releaseUrl = URI.create("https://dl.k8s.io/release");

    @Option(names = "--etcd-release-url", hidden = true, description = "Base URL of etcd releases.")
    URI etcdReleaseUrl = URI.create("https://github.com/etcd-io/etcd/releases/download");

    @Option(names = "--go-modules", hidden = true, description = "Folder with the go.mod files that pin the binaries.")
    Path goModules;

    @Option(
            names = "--control-port",
            description = "Loopback port for GET /ready and POST /stop (default: ${DEFAULT-VALUE}).")
    int controlPort = SandboxPorts.DEFAULT.control();

    @Option(names = "--apiserver-port", description = "kube-apiserver's port (default: ${DEFAULT-VALUE}).")
    int apiserverPort = SandboxPorts.DEFAULT.apiserver();

    @Option(
            names = "--etcd-port",
            description = "etcd's client port on loopback; the peer port is one above (default: ${DEFAULT-VALUE}).")
    int etcdPort = SandboxPorts.DEFAULT.etcdClient();

    @Option(
            names = "--controller-manager-port",
            description = "kube-controller-manager's loopback port (default: ${DEFAULT-VALUE}).")
    int controllerManagerPort = SandboxPorts.DEFAULT.controllerManager();

    @Option(names = "--scheduler-port", description = "kube-scheduler's loopback port (default: ${DEFAULT-VALUE}).")
    int schedulerPort = SandboxPorts.DEFAULT.scheduler();

    @Option(
            names = "--cluster-signing-duration",
            converter = DurationConverter.class,
            description = "Lifetime of certificates the cluster signs for CSRs (default: 8760h).")
    Duration clusterSigningDuration = Duration.ofDays(365);

    @Override
    public Integer call() throws SandboxException, Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (clean) {
            Sandbox.clean(stateDirectory);
            out.println("petlet: cleaned " + stateDirectory.toAbsolutePath());
            return 0;
        }
        ResolverOptions binaries = resolverOptions();
        if (prepare) {
            BinarySet set = new BinaryResolver(binaries, line -> out.println("petlet: " + line)).resolve();
            out.println("petlet: Kubernetes " + set.kubernetesVersion() + " binaries ready (" + set.source() + "): "
                    + set.kubeApiserver().getParent());
            new MetricsServerBinary(binaries, line -> out.println("petlet: " + line))
                    .resolve()
                    .ifPresent(path ->
                            out.println("petlet: metrics-server " + MetricsServerBinary.VERSION + " ready: " + path));
            return 0;
        }
        SandboxOptions options = new SandboxOptions(
                stateDirectory,
                new SandboxPorts(apiserverPort, etcdPort, controllerManagerPort, schedulerPort, controlPort),
                binaries,
                Optional.ofNullable(timeout),
                clusterSigningDuration,
                true,
                noNode
                        ? Optional.empty()
                        : Optional.of(new SandboxNode(
                                "podman",
                                podmanSocket == null ? Map.of() : Map.of("socket", podmanSocket.toString()),
                                java.time.Duration.ofSeconds(60),
                                kubeletPort)));
        HeapTrimmer.start(); // the sandbox's node agent runs in this process
        return new SandboxRunner(options, System.out).run();
    }

    private ResolverOptions resolverOptions() {
        Path home = Path.of(System.getProperty("user.home"));
        Path cache = cacheDirectory != null ? cacheDirectory : home.resolve(".cache/petlet/kubernetes");
        return new ResolverOptions(
                kubernetesVersion,
                Optional.ofNullable(binDirectory),
                Optional.ofNullable(System.getenv("PATH")).orElse(""),
                cache,
                releaseUrl,
                etcdReleaseUrl,
                Optional.ofNullable(goModules).or(SandboxCommand::shippedGoModules),
                architecture());
    }

    /** The distribution ships the go.mod files under go/; petlet.home is set by bin/petlet. */
    private static Optional<Path> shippedGoModules() {
        return Optional.ofNullable(System.getProperty("petlet.home"))
                .map(home -> Path.of(home, "go"))
                .filter(Files::isDirectory);
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }
}

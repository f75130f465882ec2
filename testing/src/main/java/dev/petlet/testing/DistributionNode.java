package dev.petlet.testing;

import dev.petlet.core.FileTrees;
import dev.petlet.sandbox.Sandbox;
import dev.petlet.sandbox.pki.DiscoveryHash;
import dev.petlet.sandbox.pki.Pem;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * This machine as the sandbox's node the way an operator sets it up: the distribution zip unpacked with only the
 * chosen providers, {@code bin/petlet join} with the sandbox's bootstrap token and CA hash, then {@code bin/petlet
 * run} as the unprivileged user {@value #USER} with CAP_NET_ADMIN as its only capability (what
 * systemd/petlet.service grants). Its serving certificate request is approved as a cluster administrator would.
 * Closing drains the node, stops the agent with SIGTERM and removes whatever it left in Podman.
 */
public final class DistributionNode implements AutoCloseable {
    /** The user the agent runs as; scripts/test creates it, scripts/podman-service lets its group use Podman. */
    public static final String USER = "petlet";

    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(1);
    private static final Path PODMAN_SOCKET = Path.of("/run/podman/podman.sock");
    private static final Pattern NODE_NAME = Pattern.compile("(?m)^nodeName: (\\S+)$");

    private final Path home;
    private final Path state;
    private final String nodeName;
    private final KubernetesClient admin;
    private Process agent;
    private Thread output;

    private DistributionNode(Path home, Path state, String nodeName, KubernetesClient admin) {
        this.home = home;
        this.state = state;
        this.nodeName = nodeName;
        this.admin = admin;
    }

    /**
     * Unpacks {@code zip} into {@code work/petlet} keeping only {@code providers}, joins the sandbox with the
     * kubelet API on {@code kubeletPort} and the given runtime configuration, starts the agent and waits until
     * its node is Ready.
     */
    public static DistributionNode start(
            Sandbox sandbox,
            KubernetesClient admin,
            Path zip,
            Set<String> providers,
            int kubeletPort,
            Map<String, String> runtimeConfig,
            Path work) {
        try {
            requireUser();
            killStaleAgents(work);
            FileTrees.delete(work);
            Files.createDirectories(work);
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path home = unpack(zip, providers, work.resolve("petlet"));
            Path state = Files.createDirectories(work.resolve("state"));
            chown(state);
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
            allowPodmanSocket();

            String hash = DiscoveryHash.caCertificateHash(
                    Pem.readCertificate(sandbox.pki().caCertificate()));
            CommandResult join = Commands.run(
                    JOIN_TIMEOUT,
                    asUser(
                            List.of(
                                    home.resolve("bin/petlet").toString(),
                                    "join",
                                    "--server=" + sandbox.server(),
                                    "--token=" + sandbox.bootstrapToken().value(),
                                    "--discovery-token-ca-cert-hash=" + hash,
                                    "--state-dir=" + state,
                                    "--kubelet-port=" + kubeletPort),
                            List.of()));
            if (join.exitCode() != 0) {
                throw new IllegalStateException("petlet join failed: " + join);
            }
            Path config = state.resolve("petlet.yaml");
            String written = Files.readString(config);
            Matcher name = NODE_NAME.matcher(written);
            if (!name.find()) {
                throw new IllegalStateException("petlet join wrote no nodeName to " + config + ":\n" + written);
            }
            StringBuilder runtime = new StringBuilder("\nruntime:\n  provider: podman\n  config:\n");
            runtimeConfig.forEach((key, value) -> runtime.append("    ")
                    .append(key)
                    .append(": \"")
                    .append(value)
                    .append("\"\n"));
            Files.writeString(config, written + runtime);

            DistributionNode node = new DistributionNode(home, state, name.group(1), admin);
            node.run();
            node.awaitServingCertificate(sandbox.pki().caCertificate(), kubeletPort);
            node.awaitReady();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String nodeName() {
        return nodeName;
    }

    /** The agent's state directory (owned by {@value #USER}). */
    public Path stateDirectory() {
        return state;
    }

    /** The agent's process id. */
    public long pid() {
        return agent.pid();
    }

    /** Kills the agent with SIGKILL, as a crash or the OOM killer would, and waits until it is gone. */
    public void kill() throws InterruptedException {
        agent.destroyForcibly();
        if (!agent.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the node agent (pid " + agent.pid() + ") outlived SIGKILL");
        }
        output.join(TimeUnit.SECONDS.toMillis(10));
    }

    /** Starts {@code petlet run} again, from the same state directory, and waits until the node is Ready. */
    public void restart() throws IOException {
        if (agent.isAlive()) {
            throw new IllegalStateException("the node agent still runs (pid " + agent.pid() + ")");
        }
        run();
        awaitReady();
    }

    /** Kills an agent a killed test run left behind: one whose command line names this work folder. */
    private static void killStaleAgents(Path work) throws IOException {
        String home = "-Dpetlet.home=" + work.resolve("petlet");
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.toList()) {
                String pid = process.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String commandLine =
                            Files.readString(process.resolve("cmdline")).replace('\0', ' ');
                    if (commandLine.contains(home)) {
                        System.out.println(
                                "[node] killing the node agent a previous run left behind (pid " + pid + ")");
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        }
    }

    private void run() throws IOException {
        List<String> command = asUser(
                List.of(home.resolve("bin/petlet").toString(), "run", "--config=" + state.resolve("petlet.yaml")),
                List.of(
                        "--inh-caps=-all,+net_admin",
                        "--ambient-caps=-all,+net_admin",
                        "--bounding-set=-all,+net_admin"));
        agent = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        // A test JVM that is stopped (Ctrl-C, a killed build) skips JUnit's clean-up: stop the agent with it.
        Process started = agent;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "node-agent-stop"));
        InputStream stream = agent.getInputStream();
        Path log = state.getParent().resolve("agent.log");
        output = Thread.ofPlatform().daemon().name("node-agent-output").start(() -> copyLines(stream, log));
    }

    /** The agent's output, on the test's output (as the in-process agent's logging is) and in agent.log. */
    private static void copyLines(InputStream stream, Path log) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
                OutputStream file = Files.newOutputStream(
                        log, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println("[node] " + line);
                file.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            System.out.println("[node] (output ended: " + e.getMessage() + ")");
        }
    }

    /**
     * Waits until the kubelet API serves a certificate the cluster CA issued (the API server verifies it for logs
     * and exec), approving the node's pending kubelet-serving CSRs meanwhile, as the cluster's administrator does
     * for an external machine.
     */
    private void awaitServingCertificate(Path caCertificate, int kubeletPort) {
        SSLContext verifying = trusting(caCertificate);
        String user = "system:node:" + nodeName;
        Poll.untilTrue(JOIN_TIMEOUT, "node " + nodeName + " to serve a certificate of the cluster CA", () -> {
            requireRunning();
            for (CertificateSigningRequest csr : admin.certificates()
                    .v1()
                    .certificateSigningRequests()
                    .list()
                    .getItems()) {
                boolean decided = csr.getStatus() != null
                        && csr.getStatus().getConditions() != null
                        && !csr.getStatus().getConditions().isEmpty();
                if ("kubernetes.io/kubelet-serving".equals(csr.getSpec().getSignerName())
                        && user.equals(csr.getSpec().getUsername())
                        && !decided) {
                    admin.certificates()
                            .v1()
                            .certificateSigningRequests()
                            .withName(csr.getMetadata().getName())
                            .approve();
                }
            }
            try (SSLSocket socket = (SSLSocket) verifying.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", kubeletPort), 1000);
                socket.setSoTimeout(2000);
                socket.startHandshake();
                return true;
            } catch (IOException e) {
                return false; // not listening yet, or still the self-signed certificate
            }
        });
    }

    private static SSLContext trusting(Path caCertificate) {
        try (InputStream in = Files.newInputStream(caCertificate)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the cluster CA " + caCertificate + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        Poll.untilTrue(READY_TIMEOUT, "node " + nodeName + " to be Ready", () -> {
            requireRunning();
            Node node = admin.nodes().withName(nodeName).get();
            return node != null
                    && node.getStatus() != null
                    && node.getStatus().getConditions() != null
                    && node.getStatus().getConditions().stream()
                            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
        if (Boolean.TRUE.equals(admin.nodes().withName(nodeName).get().getSpec().getUnschedulable())) {
            admin.nodes()
                    .withName(nodeName)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"unschedulable\":false}}");
        }
    }

    private void requireRunning() {
        if (!agent.isAlive()) {
            throw new IllegalStateException("the node agent exited with " + agent.exitValue() + "; see [node] lines");
        }
    }

    /** Drains the node, stops the agent with SIGTERM, then removes what it left in Podman and on disk. */
    @Override
    public void close() {
        try {
            if (agent != null && agent.isAlive()) {
                admin.nodes()
                        .withName(nodeName)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"unschedulable\":true}}");
                admin.pods()
                        .inAnyNamespace()
                        .withField("spec.nodeName", nodeName)
                        .delete();
                try {
                    Poll.untilTrue(
                            DRAIN_TIMEOUT,
                            "the pods of node " + nodeName + " to finish",
                            () ->
                                    admin
                                            .pods()
                                            .inAnyNamespace()
                                            .withField("spec.nodeName", nodeName)
                                            .list()
                                            .getItems()
                                            .stream()
                                            .map(Pod::getMetadata)
                                            .findAny()
                                            .isEmpty());
                } catch (AssertionError e) {
                    System.out.println("[node] " + e.getMessage() + "; removing them from Podman");
                }
                agent.destroy();
                if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                    agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            removeFromPodman();
            FileTrees.delete(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.out.println("[node] cannot stop the node cleanly: " + e);
        }
    }

    private void removeFromPodman() throws IOException {
        Path id = state.resolve("agent-id");
        if (!Files.exists(id)) {
            return;
        }
        String label = "label=io.petlet.agent=" + Files.readString(id).strip();
        Map<String, String> environment = Map.of("CONTAINERS_CONF", "/etc/petlet/containers.conf");
        String pods = Commands.run(
                        Duration.ofMinutes(1), List.of("podman", "pod", "ls", "-q", "--filter", label), environment)
                .stdout()
                .strip();
        for (String pod : pods.isEmpty() ? List.<String>of() : List.of(pods.split("\\s+"))) {
            Commands.run(Duration.ofMinutes(1), List.of("podman", "pod", "rm", "-f", "-t", "0", pod), environment);
        }
    }

    private static void requireUser() {
        if (Commands.run(Duration.ofSeconds(10), List.of("id", "-u", USER)).exitCode() != 0) {
            throw new IllegalStateException("the node agent runs as the unprivileged user " + USER
                    + ", which does not exist: create it with `useradd --system " + USER + "` (scripts/test does)");
        }
    }

    /** The group of {@value #USER} may use the Podman socket, as scripts/podman-service sets it up. */
    private static void allowPodmanSocket() throws IOException {
        GroupPrincipal group =
                PODMAN_SOCKET.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(USER);
        Files.getFileAttributeView(PODMAN_SOCKET, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(group);
        Files.setPosixFilePermissions(PODMAN_SOCKET, PosixFilePermissions.fromString("rw-rw----"));
    }

    /** The command run as {@value #USER} (its groups included) by setpriv(1), with further setpriv options. */
    private static List<String> asUser(List<String> command, List<String> options) {
        List<String> full = new ArrayList<>(
                List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--reset-env"));
        full.addAll(options);
        full.add("--");
        full.addAll(command);
        return full;
    }

    private static void chown(Path path) throws IOException {
        CommandResult result =
                Commands.run(Duration.ofSeconds(30), List.of("chown", USER + ":" + USER, path.toString()));
        if (result.exitCode() != 0) {
            throw new IOException("chown " + path + " failed: " + result);
        }
    }

    /**
     * The zip's entries, except the providers not asked for: what a build with {@code -Dpetlet.providers} puts in
     * its zip. Readable by everyone; {@code bin/} executable.
     */
    private static Path unpack(Path zip, Set<String> providers, Path home) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith("providers/") && name.length() > "providers/".length()) {
                    String provider = name.substring("providers/".length()).split("/", 2)[0];
                    if (!providers.contains(provider)) {
                        continue;
                    }
                }
                Path target = home.resolve(name).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("zip entry " + name + " lies outside the distribution");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                Files.setPosixFilePermissions(
                        target, PosixFilePermissions.fromString(name.startsWith("bin/") ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        if (!Files.isRegularFile(home.resolve("bin/petlet"))) {
            throw new IOException(zip + " holds no bin/petlet");
        }
        try (var walk = Files.walk(home)) {
            for (Path directory : walk.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return home;
    }

    @Override
    public String toString() {
        return "node " + nodeName + " from " + home
                + Optional.ofNullable(agent).map(p -> " (pid " + p.pid() + ")").orElse("");
    }
}

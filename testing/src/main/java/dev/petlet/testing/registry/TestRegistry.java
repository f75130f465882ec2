package dev.petlet.testing.registry;

import static java.util.Objects.requireNonNull;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Commands;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real image registry for E2E tests: Debian's {@code docker-registry} on {@link SandboxExtension#REGISTRY}
 * (plain HTTP, which the sandbox node's runtime treats as insecure) with htpasswd authentication, so
 * anonymous pulls fail with "unauthorized" and pulls with the right pull secret succeed. Storage lives in
 * a temporary folder that is removed on {@link #close()}.
 *
 * <p>Use {@link #shared()} in E2E classes: one registry for the whole test run, stopped when the JVM exits.
 */
public final class TestRegistry implements AutoCloseable {
    /** The registry binary from {@code apt-get install docker-registry}. */
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");

    /** The realm our registries announce; how a leftover one from an earlier run is recognised. */
    static final String REALM = "petlet-e2e-registry";

    private static final String DIRECTORY_PREFIX = "petlet-e2e-registry-";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PUSH_TIMEOUT = Duration.ofMinutes(2);
    private static final Map<String, String> PODMAN_ENVIRONMENT =
            Map.of("CONTAINERS_CONF", "/etc/petlet/containers.conf");

    private static TestRegistry shared;

    private final String address;
    private final String username;
    private final String password;
    private final Path directory;
    private final Process process;

    private TestRegistry(String address, String username, String password, Path directory, Process process) {
        this.address = address;
        this.username = username;
        this.password = password;
        this.directory = directory;
        this.process = process;
    }

    /** The run's registry, started on first use and stopped by a JVM shutdown hook. */
    public static synchronized TestRegistry shared() {
        if (shared == null) {
            TestRegistry started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-registry-stop"));
            shared = started;
        }
        return shared;
    }

    /** Starts a registry on {@link SandboxExtension#REGISTRY}; the caller closes it. */
    public static TestRegistry start() {
        String address = SandboxExtension.REGISTRY;
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: run"
                    + " `apt-get install -y --no-install-recommends docker-registry apache2-utils`");
        }
        refuseIfPortTaken(address);
        String username = "petlet";
        String password = randomToken(24);
        try {
            Path directory = Files.createTempDirectory(DIRECTORY_PREFIX);
            Path htpasswd = directory.resolve("htpasswd");
            CommandResult hashed =
                    Commands.run(Duration.ofSeconds(30), List.of("htpasswd", "-Bbn", username, password));
            if (hashed.exitCode() != 0) {
                throw new IllegalStateException("htpasswd failed (apache2-utils installed?): " + hashed);
            }
            Files.writeString(htpasswd, hashed.stdout().strip() + "\n");
            Path config = directory.resolve("config.yml");
            Files.writeString(config, config(address, directory.resolve("storage"), htpasswd));
            Path log = directory.resolve("registry.log");
            Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            TestRegistry registry = new TestRegistry(address, username, password, directory, process);
            try {
                registry.awaitReady(log);
            } catch (RuntimeException | Error e) {
                registry.close();
                throw e;
            }
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test registry", e);
        }
    }

    /** {@code host:port}, e.g. {@code 127.0.0.1:15000}. */
    public String address() {
        return address;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /**
     * Pushes a local image to this registry with the podman CLI, without tagging it locally (a local tag
     * would make a node with {@code IfNotPresent} find the image without pulling it).
     *
     * @param localImage an image in the local store, e.g. {@code localhost/busybox:latest}
     * @param repositoryAndTag where to put it, e.g. {@code private/busybox:1}
     * @return the full reference to pull, e.g. {@code 127.0.0.1:15000/private/busybox:1}
     */
    public String push(String localImage, String repositoryAndTag) {
        requireNonNull(localImage, "localImage");
        requireNonNull(repositoryAndTag, "repositoryAndTag");
        String reference = address + "/" + repositoryAndTag;
        CommandResult pushed = Commands.run(
                PUSH_TIMEOUT,
                List.of(
                        "podman",
                        "push",
                        "--tls-verify=false",
                        "--creds",
                        username + ":" + password,
                        localImage,
                        "docker://" + reference),
                PODMAN_ENVIRONMENT);
        if (pushed.exitCode() != 0) {
            throw new IllegalStateException("podman push " + localImage + " to " + reference + " failed: " + pushed);
        }
        return reference;
    }

    /** The content of a {@code kubernetes.io/dockerconfigjson} Secret's {@code .dockerconfigjson} key. */
    public String dockerConfigJson() {
        return "{\"auths\":" + dockerCfg() + "}";
    }

    /** The content of a legacy {@code kubernetes.io/dockercfg} Secret's {@code .dockercfg} key. */
    public String dockerCfg() {
        String auth = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "{\"" + address + "\":{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"auth\":\""
                + auth + "\"}}";
    }

    /** Stops the registry (TERM, then KILL) and removes its storage. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    private static String config(String address, Path storage, Path htpasswd) {
        return """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: %s
                  secret: %s
                auth:
                  htpasswd:
                    realm: %s
                    path: %s
                """.formatted(storage, address, randomToken(32), REALM, htpasswd);
    }

    /** Waits for {@code GET /v2/} to answer 401, failing early with the registry's log if it exits. */
    private void awaitReady(Path log) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Poll.untilTrue(START_TIMEOUT, "the test registry on " + address + " to answer GET /v2/ with 401", () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "docker-registry exited with " + process.exitValue() + ": " + readQuietly(log));
            }
            return probe(http, address)
                    .map(response -> response.statusCode() == 401)
                    .orElse(false);
        });
    }

    private static void refuseIfPortTaken(String address) {
        String[] hostAndPort = address.split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1])), 1000);
        } catch (ConnectException free) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check whether " + address + " is free", e);
        }
        Optional<HttpResponse<String>> answer = probe(HttpClient.newHttpClient(), address);
        boolean ours = answer.map(response -> response.headers()
                        .firstValue("WWW-Authenticate")
                        .orElse("")
                        .contains("realm=\"" + REALM + "\""))
                .orElse(false);
        if (ours) {
            String pids = leftoverPids();
            throw new IllegalStateException("a petlet test registry is already listening on " + address
                    + " (pid " + pids + "), left by a crashed test run or serving a run in progress;"
                    + " if no run is in progress, stop it with `kill " + pids + "` and remove /tmp/"
                    + DIRECTORY_PREFIX + "*");
        }
        throw new IllegalStateException(address + " is taken by another program; E2E tests need it for their"
                + " registry (see `ss -ltnp 'sport = :" + hostAndPort[1] + "'`)");
    }

    private static Optional<HttpResponse<String>> probe(HttpClient http, String address) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + "/v2/"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        try {
            return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted probing " + address, e);
        }
    }

    /** Process IDs of docker-registry processes serving a config of ours. */
    private static String leftoverPids() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            List<String> pids = processes
                    .filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        String commandLine = readQuietly(p.resolve("cmdline")).replace('\0', ' ');
                        return commandLine.contains("docker-registry") && commandLine.contains(DIRECTORY_PREFIX);
                    })
                    .map(p -> p.getFileName().toString())
                    .toList();
            return pids.isEmpty() ? "unknown" : String.join(" ", pids);
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private static String randomToken(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return token.toString();
    }
}

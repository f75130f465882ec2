package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.RegistryCredentials;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pulls from a real registry with htpasswd authentication (Debian's docker-registry) on the loopback. */
class RegistryIT extends PodmanTestBase {
    private static final String USER = "petlet";
    private static final String PASSWORD = "registry-password";

    private static Path directory;
    private static Process registry;
    private static String address;

    @BeforeAll
    static void startRegistry() throws Exception {
        ensureInstalled("docker-registry", "htpasswd", "docker-registry apache2-utils");
        directory = Files.createTempDirectory("petlet-registry");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        address = "127.0.0.1:" + port;
        run(List.of("htpasswd", "-Bbc", directory.resolve("htpasswd").toString(), USER, PASSWORD), Map.of());
        Files.writeString(directory.resolve("config.yml"), """
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: %s
                auth:
                  htpasswd:
                    realm: petlet
                    path: %s
                """.formatted(
                        directory.resolve("data"), address, directory.resolve("htpasswd")));
        registry = new ProcessBuilder(
                        "docker-registry",
                        "serve",
                        directory.resolve("config.yml").toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("registry.log").toFile())
                .start();
        Polling.until(WAIT, "the registry to answer on " + address, RegistryIT::registryAnswers);
        run(
                List.of(
                        "podman",
                        "push",
                        "--quiet",
                        "--tls-verify=false",
                        "--creds",
                        USER + ":" + PASSWORD,
                        BUSYBOX.reference(),
                        address + "/petlet/busybox:1"),
                Map.of("CONTAINERS_CONF", "/etc/petlet/containers.conf"));
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.destroy();
            if (!registry.waitFor(10, TimeUnit.SECONDS)) {
                registry.destroyForcibly();
            }
        }
    }

    @Override
    Map<String, String> runtimeConfig() {
        return Map.of("insecure-registries", address);
    }

    @Test
    void pullWithoutOrWithWrongCredentialsIsUnauthenticated() {
        ImageSpec image = ImageSpec.of(address + "/petlet/busybox:1");

        assertThat(codeOf(() -> runtime.pullImage(image, Optional.empty()))).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(codeOf(() -> runtime.pullImage(image, Optional.of(RegistryCredentials.basic(USER, "wrong")))))
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void pullWithCredentialsStoresTheImage() throws ProviderException {
        ImageSpec image = ImageSpec.of(address + "/petlet/busybox:1");
        try {
            String id = runtime.pullImage(image, Optional.of(RegistryCredentials.basic(USER, PASSWORD)));

            assertThat(id).isNotEmpty();
            assertThat(runtime.imageStatus(image)).get().satisfies(info -> {
                assertThat(info.id()).isEqualTo(id);
                assertThat(info.repoTags()).contains(image.reference());
            });
        } finally {
            runtime.removeImage(image);
        }
    }

    @Test
    void pullOfAMissingTagIsNotFound() {
        ImageSpec missing = ImageSpec.of(address + "/petlet/busybox:no-such-tag");

        assertThat(codeOf(() -> runtime.pullImage(missing, Optional.of(RegistryCredentials.basic(USER, PASSWORD)))))
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    private static boolean registryAnswers() {
        try {
            HttpURLConnection connection = (HttpURLConnection)
                    URI.create("http://" + address + "/v2/").toURL().openConnection();
            connection.setConnectTimeout(500);
            return connection.getResponseCode() == 401;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void ensureInstalled(String command, String otherCommand, String packages) throws Exception {
        if (onPath(command) && onPath(otherCommand)) {
            return;
        }
        List<String> install =
                new java.util.ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
        install.addAll(List.of(packages.split(" ")));
        run(install, Map.of("DEBIAN_FRONTEND", "noninteractive"));
    }

    private static boolean onPath(String command) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
    }

    private static void run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path log = Files.createTempFile("registry-it", ".log");
        Process process = builder.redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }
}

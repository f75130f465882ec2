package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the integration tests against the real Podman: makes sure the Podman service runs (with {@code
 * scripts/podman-service}, once per JVM), creates a runtime through the plugin, and removes every sandbox
 * the test created (they all carry this run's {@link #RUN_LABEL}).
 */
abstract class PodmanTestBase {
    static final String RUN_LABEL = "io.petlet.test.run";
    static final ImageSpec BUSYBOX = ImageSpec.of("localhost/busybox:latest");
    static final Duration WAIT = Duration.ofSeconds(30);

    private static boolean podmanReady;

    protected final String run = UUID.randomUUID().toString().substring(0, 8);
    protected ContainerRuntime runtime;
    private Path stateDirectory;

    @BeforeAll
    static synchronized void startPodman() throws Exception {
        if (podmanReady) {
            return;
        }
        Path root = repositoryRoot();
        Path script = root.resolve("scripts/podman-service");
        Path log = Files.createTempFile("podman-service", ".log");
        Process process = new ProcessBuilder(script.toString())
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("scripts/podman-service did not finish within 10 minutes; its output: " + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            fail("scripts/podman-service failed (exit " + process.exitValue() + "); Podman integration tests need it "
                    + "(root, apt-get). Its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        podmanReady = true;
    }

    /** The checkout's root: the nearest ancestor of the working directory that holds {@code .ci/}. */
    static Path repositoryRoot() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.isDirectory(directory.resolve(".ci"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            fail("cannot find the repository root (a directory with .ci/) above "
                    + Path.of("").toAbsolutePath());
        }
        return directory;
    }

    @BeforeEach
    void createRuntime() throws IOException, ProviderException {
        stateDirectory = Files.createTempDirectory("podman-provider-state");
        runtime = new PodmanPlugin()
                .runtimes()
                .getFirst()
                .create(runtimeConfig(), TestProviderContext.in(stateDirectory));
    }

    /** The runtime's configuration; subclasses may add keys. */
    Map<String, String> runtimeConfig() {
        return Map.of();
    }

    @AfterEach
    void removeEverythingThisTestCreated() throws ProviderException {
        try {
            for (PodSandboxSummary sandbox :
                    runtime.listPodSandboxes(PodSandboxFilter.withLabels(Map.of(RUN_LABEL, run)))) {
                runtime.removePodSandbox(sandbox.id());
            }
            assertThat(runtime.listPodSandboxes(PodSandboxFilter.withLabels(Map.of(RUN_LABEL, run))))
                    .isEmpty();
        } finally {
            runtime.close();
        }
    }

    /** A sandbox configuration for this test run, with a fresh pod UID. */
    PodSandboxConfig.Builder sandbox(String podName) {
        return PodSandboxConfig.builder(UUID.randomUUID().toString(), "petlet-test", podName)
                .label(RUN_LABEL, run);
    }

    /** A busybox container running {@code sh -c script}. */
    ContainerConfig.Builder shell(String name, String script) {
        return ContainerConfig.builder(name, BUSYBOX).command("sh", "-c", script);
    }

    /** Runs a sandbox and creates and starts a container in it; returns the container id. */
    String startInNewSandbox(PodSandboxConfig sandbox, ContainerConfig container) throws ProviderException {
        String sandboxId = runtime.runPodSandbox(sandbox);
        String containerId = runtime.createContainer(sandboxId, container, sandbox);
        runtime.startContainer(containerId);
        return containerId;
    }

    ContainerStatus awaitState(String containerId, ContainerState state) {
        return Polling.value(WAIT, "container " + containerId + " to be " + state, () -> {
            try {
                ContainerStatus status = runtime.containerStatus(containerId);
                return status.state() == state ? Optional.of(status) : Optional.empty();
            } catch (ProviderException e) {
                throw new AssertionError(e);
            }
        });
    }

    static ErrorCode codeOf(ThrowingCallable call) {
        try {
            call.call();
        } catch (ProviderException e) {
            return e.code();
        } catch (Throwable e) {
            throw new AssertionError("expected a ProviderException, got " + e, e);
        }
        throw new AssertionError("expected a ProviderException, but the call succeeded");
    }
}

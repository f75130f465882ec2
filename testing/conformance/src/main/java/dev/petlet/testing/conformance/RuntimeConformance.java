package dev.petlet.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the runtime conformance tests: creates the runtime under test before each test, and after it
 * removes every sandbox the test made (they carry the label {@link #RUN_LABEL} with this test's run id) and
 * closes the runtime. A subclass says how to create the runtime and, if it cannot run busybox, which {@link
 * Workloads} to use.
 */
public abstract class RuntimeConformance {
    /** The label on every sandbox a conformance test creates, valued with {@link #run}. */
    public static final String RUN_LABEL = "io.petlet.conformance.run";

    /** How long the tests wait for a state change. */
    protected static final Duration WAIT = Duration.ofSeconds(30);

    /** This test's run id, in sandbox labels and names. */
    protected final String run = UUID.randomUUID().toString().substring(0, 8);

    /** The runtime under test, created before each test. */
    protected ContainerRuntime runtime;

    /** Creates the runtime under test; the kit closes it after the test. */
    protected abstract ContainerRuntime createRuntime() throws Exception;

    /** The image and commands to run; busybox by default. */
    protected Workloads workloads() {
        return Workloads.BUSYBOX;
    }

    @BeforeEach
    final void createRuntimeUnderTest() throws Exception {
        runtime = createRuntime();
    }

    @AfterEach
    final void removeWhatTheTestCreated() throws Exception {
        if (runtime == null) {
            return;
        }
        try {
            for (PodSandboxSummary sandbox :
                    runtime.listPodSandboxes(PodSandboxFilter.withLabels(Map.of(RUN_LABEL, run)))) {
                runtime.stopPodSandbox(sandbox.id());
                runtime.removePodSandbox(sandbox.id());
            }
        } finally {
            runtime.close();
        }
    }

    /** A sandbox configuration for a pod named {@code name} with this run's label. */
    protected PodSandboxConfig sandboxConfig(String name) {
        return PodSandboxConfig.builder(UUID.randomUUID().toString(), "conformance", name + "-" + run)
                .label(RUN_LABEL, run)
                .build();
    }

    /** Runs a sandbox with {@code config} and returns its id. */
    protected String runSandbox(PodSandboxConfig config) throws ProviderException {
        return runtime.runPodSandbox(config);
    }

    /** Creates (without starting) a container running {@code command} in a new sandbox. */
    protected Created createContainer(String name, List<String> command) throws ProviderException {
        PodSandboxConfig sandbox = sandboxConfig(name);
        String sandboxId = runSandbox(sandbox);
        ContainerConfig config = ContainerConfig.builder(name, workloads().image())
                .command(command)
                .label("io.petlet.conformance.container", name)
                .build();
        return new Created(sandboxId, runtime.createContainer(sandboxId, config, sandbox), sandbox);
    }

    /** Creates and starts a container running {@code command} in a new sandbox. */
    protected Created startContainer(String name, List<String> command) throws ProviderException {
        Created created = createContainer(name, command);
        runtime.startContainer(created.containerId());
        return created;
    }

    /** A container the test created and the sandbox it is in. */
    protected record Created(String sandboxId, String containerId, PodSandboxConfig sandbox) {}

    /** Waits until the container is in {@code state}; returns its status then. */
    protected ContainerStatus awaitState(String containerId, ContainerState state) throws ProviderException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ContainerStatus status = runtime.containerStatus(containerId);
        while (status.state() != state) {
            if (System.nanoTime() > deadline) {
                fail("container " + containerId + " did not reach " + state + " within " + WAIT + "; last: " + status);
            }
            pause();
            status = runtime.containerStatus(containerId);
        }
        return status;
    }

    /** Waits until {@code condition} holds. */
    protected static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + WAIT + " for " + what);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50); // the poll interval of a deadline-bounded wait, not a wait for an outcome
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Asserts that {@code call} fails with a {@link ProviderException} of {@code code}. */
    protected static void assertFailsWith(ErrorCode code, ThrowingCallable call) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.code())
                                .as("error code of: " + e.getMessage())
                                .isEqualTo(code));
    }
}

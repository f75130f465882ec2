package dev.petlet.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeWorkerTest {
    private static final Instant STARTED = Instant.parse("2026-11-21T10:00:00Z");
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicInteger exitCode = new AtomicInteger(1);
    private final AtomicInteger execs = new AtomicInteger();
    private final List<String> events = new ArrayList<>();
    private final Pod pod = new PodBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("shop")
            .withUid("uid-1")
            .endMetadata()
            .build();
    private final Container container = new ContainerBuilder().withName("app").build();

    @AfterEach
    void stopLoop() {
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    private HandlerRunner runner() {
        ContainerRuntime runtime = (ContainerRuntime) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> {
                    execs.incrementAndGet();
                    int code = exitCode.get();
                    return new FinishedSession(code);
                });
        return new HandlerRunner(new ExecCheck(runtime), new GrpcCheck(group));
    }

    private static Probe exec(int initialDelay, int failureThreshold) {
        return new ProbeBuilder()
                .withNewExec()
                .withCommand("check")
                .endExec()
                .withInitialDelaySeconds(initialDelay)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private ProbeWorker worker(ProbeKind kind, Probe probe, boolean started) {
        return new ProbeWorker(pod, "10.88.0.7", kind, probe, "c1", container, STARTED, () -> started);
    }

    private static Clock at(long secondsAfterStart) {
        return Clock.fixed(STARTED.plusSeconds(secondsAfterStart), ZoneOffset.UTC);
    }

    private final ProbeManager.Events recorder = (pod, container, message) -> events.add(message);

    @Test
    void livenessFailsAfterItsThresholdThenHolds() {
        ProbeWorker liveness = worker(ProbeKind.LIVENESS, exec(0, 2), true);
        HandlerRunner runner = runner();
        assertThat(liveness.result()).isTrue();
        assertThat(liveness.probeOnce(runner, recorder, at(1))).isFalse();
        assertThat(liveness.probeOnce(runner, recorder, at(2))).isTrue();
        assertThat(liveness.result()).isFalse();
        assertThat(events).containsExactly("Liveness probe failed: ", "Liveness probe failed: ");
        assertThat(liveness.probeOnce(runner, recorder, at(3)))
                .as("on hold until replaced")
                .isFalse();
        assertThat(execs).hasValue(2);
    }

    @Test
    void nothingRunsBeforeTheInitialDelayOrBeforeTheContainerStarted() {
        HandlerRunner runner = runner();
        ProbeWorker delayed = worker(ProbeKind.READINESS, exec(10, 3), true);
        assertThat(delayed.probeOnce(runner, recorder, at(5))).isFalse();
        ProbeWorker notStarted = worker(ProbeKind.READINESS, exec(0, 3), false);
        assertThat(notStarted.probeOnce(runner, recorder, at(20))).isFalse();
        assertThat(execs).hasValue(0);

        exitCode.set(0);
        assertThat(delayed.probeOnce(runner, recorder, at(10))).isTrue();
        assertThat(delayed.result()).isTrue();
    }

    @Test
    void aStartupProbeStopsOnceItSucceeded() {
        HandlerRunner runner = runner();
        ProbeWorker startup = worker(ProbeKind.STARTUP, exec(0, 30), false);
        assertThat(startup.probeOnce(runner, recorder, at(1))).isFalse();
        assertThat(startup.result()).isNull();
        exitCode.set(0);
        assertThat(startup.probeOnce(runner, recorder, at(2))).isTrue();
        assertThat(startup.result()).isTrue();
        assertThat(startup.probeOnce(runner, recorder, at(3))).isFalse();
        assertThat(execs).hasValue(2);
        assertThat(events).containsExactly("Startup probe failed: ");
    }
}

package dev.petlet.core.hook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.probe.ExecCheck;
import dev.petlet.core.probe.FinishedSession;
import dev.petlet.core.probe.GrpcCheck;
import dev.petlet.core.probe.HandlerRunner;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.OutputSink;
import dev.petlet.spi.runtime.StreamType;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifecycleHooksTest {
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<List<String>> commands = new ArrayList<>();
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

    /** A runtime whose exec prints {@code output} and exits with {@code exitCode}; nothing else. */
    private ContainerRuntime execOnly(String output, int exitCode) {
        return (ContainerRuntime) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("exec")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    commands.add(((ExecRequest) args[1]).command());
                    OutputSink sink = (OutputSink) args[2];
                    if (!output.isEmpty()) {
                        sink.accept(StreamType.STDOUT, output.getBytes(StandardCharsets.UTF_8));
                    }
                    return new FinishedSession(exitCode);
                });
    }

    private LifecycleHooks hooks(ContainerRuntime runtime) {
        return new LifecycleHooks(new HandlerRunner(new ExecCheck(runtime), new GrpcCheck(group)));
    }

    @Test
    void aFailedExecHookIsWordedAsTheKubeletWordsIt() {
        LifecycleHandler handler = new LifecycleHandlerBuilder()
                .withNewExec()
                .withCommand("sh", "-c", "echo no luck; exit 7")
                .endExec()
                .build();
        Optional<String> failure =
                hooks(execOnly("no luck\n", 7)).run(pod, container, "c1", handler, null, Duration.ofSeconds(5));
        assertThat(failure)
                .contains("Exec lifecycle hook ([sh -c echo no luck; exit 7]) for Container \"app\" in Pod "
                        + "\"web_shop(uid-1)\" failed - error: command 'sh -c echo no luck; exit 7' exited with 7: "
                        + "no luck\n, message: \"no luck\\n\"");
        assertThat(commands).containsExactly(List.of("sh", "-c", "echo no luck; exit 7"));
    }

    @Test
    void aSucceedingExecHookAndASleepHookReportNothing() {
        LifecycleHandler exec = new LifecycleHandlerBuilder()
                .withNewExec()
                .withCommand("true")
                .endExec()
                .build();
        assertThat(hooks(execOnly("", 0)).run(pod, container, "c1", exec, null, Duration.ofSeconds(5)))
                .isEmpty();
        LifecycleHandler sleep = new LifecycleHandlerBuilder()
                .withNewSleep()
                .withSeconds(0L)
                .endSleep()
                .build();
        assertThat(hooks(execOnly("", 0)).run(pod, container, "c1", sleep, null, Duration.ofSeconds(5)))
                .isEmpty();
    }

    @Test
    void anHttpHookWithoutAnAddressFails() {
        LifecycleHandler http = new LifecycleHandlerBuilder()
                .withNewHttpGet()
                .withPath("/stop")
                .withNewPort(8080)
                .endHttpGet()
                .build();
        assertThat(hooks(execOnly("", 0)).run(pod, container, "c1", http, null, Duration.ofSeconds(1)))
                .contains("HTTP lifecycle hook (/stop) for Container \"app\" in Pod \"web_shop(uid-1)\" failed - "
                        + "error: the pod has no IP address to probe yet");
    }
}

package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.LogOptions;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.Subscription;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many requests and streams must leave no connections (file descriptors) or threads behind. */
class ResourceHygieneIT extends PodmanTestBase {

    @Test
    void requestsAndStreamsReleaseTheirConnections() throws Exception {
        String id = startInNewSandbox(
                sandbox("hygiene").build(),
                shell("main", "echo ready; sleep 300").build());
        warmUp(id);
        int descriptorsBefore = openDescriptors();
        List<CompletableFuture<Void>> closedEarly = new ArrayList<>();

        for (int round = 0; round < 50; round++) {
            runtime.containerStatus(id);
            runtime.listContainers(ContainerFilter.withLabels(Map.of(RUN_LABEL, run)));
            try (Subscription logs = runtime.logs(id, LogOptions.ALL, new CollectedOutput())) {
                logs.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            Subscription following = runtime.logs(id, LogOptions.ALL.withFollow(true), new CollectedOutput());
            following.close(); // At once: also while Podman has not answered yet.
            closedEarly.add(following.completion().toCompletableFuture());
            Subscription events = runtime.events(event -> {});
            events.close();
            closedEarly.add(events.completion().toCompletableFuture());
            try (StreamSession exec = runtime.exec(id, ExecRequest.of("true"), new CollectedOutput())) {
                exec.exitCode().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }

        Polling.until(
                WAIT,
                "connections to be released (open descriptors back near " + descriptorsBefore + ")",
                () -> openDescriptors() <= descriptorsBefore + 5);
        Polling.until(
                WAIT,
                "the readers of closed subscriptions to finish",
                () -> closedEarly.stream().allMatch(CompletableFuture::isDone));
        assertThat(closedEarly).allMatch(completion -> !completion.isCompletedExceptionally());
    }

    private void warmUp(String id) throws Exception {
        try (StreamSession exec = runtime.exec(id, ExecRequest.of("true"), new CollectedOutput())) {
            exec.exitCode().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static int openDescriptors() {
        String[] descriptors = new File("/proc/self/fd").list();
        return descriptors == null ? 0 : descriptors.length;
    }
}

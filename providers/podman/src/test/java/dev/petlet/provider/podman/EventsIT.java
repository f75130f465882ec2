package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.RuntimeEvent;
import dev.petlet.spi.runtime.RuntimeLabels;
import dev.petlet.spi.runtime.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventsIT extends PodmanTestBase {
    private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void seesAContainerStartAndDie() throws Exception {
        try (Subscription subscription = runtime.events(events::add)) {
            PodSandboxConfig sandbox = sandbox("events").build();
            String sandboxId = runtime.runPodSandbox(sandbox);
            String id =
                    runtime.createContainer(sandboxId, shell("dies", "exit 2").build(), sandbox);
            runtime.startContainer(id);

            RuntimeEvent died = awaitEvent(RuntimeEvent.Type.CONTAINER_DIED, id);
            assertThat(died.exitCode()).isEqualTo(2);
            assertThat(died.sandboxId()).isEqualTo(sandboxId);
            assertThat(died.labels()).containsEntry(RuntimeLabels.POD_UID, sandbox.podUid());
            assertThat(events).anySatisfy(event -> {
                assertThat(event.type()).isEqualTo(RuntimeEvent.Type.CONTAINER_STARTED);
                assertThat(event.containerId()).isEqualTo(id);
            });

            runtime.stopPodSandbox(sandboxId);
            Polling.until(
                    WAIT,
                    "the sandbox to be reported stopped; events so far: " + events,
                    () -> events.stream()
                            .anyMatch(event -> event.type() == RuntimeEvent.Type.SANDBOX_STOPPED
                                    && sandboxId.equals(event.sandboxId())));
            subscription.close();
            subscription.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void oomKillIsAnEvent() throws Exception {
        try (Subscription subscription = runtime.events(events::add)) {
            String id = startInNewSandbox(
                    sandbox("oom").build(),
                    shell("hungry", "dd if=/dev/zero of=/dev/null bs=200M count=1")
                            .memoryLimitBytes(32L << 20)
                            .build());

            RuntimeEvent died = awaitEvent(RuntimeEvent.Type.CONTAINER_DIED, id);
            org.junit.jupiter.api.Assumptions.assumeTrue(died.exitCode() == 137, "memory limits are not enforced here");
            assertThat(events).anySatisfy(event -> {
                assertThat(event.type()).isEqualTo(RuntimeEvent.Type.CONTAINER_OOM);
                assertThat(event.containerId()).isEqualTo(id);
            });
        }
    }

    private RuntimeEvent awaitEvent(RuntimeEvent.Type type, String containerId) {
        return Polling.value(
                WAIT,
                type + " of " + containerId,
                () -> events.stream()
                        .filter(event -> event.type() == type && containerId.equals(event.containerId()))
                        .findFirst());
    }
}

package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reads answers recorded from Podman 4.3.1 (pod "fx" with one container per interesting end). */
class LibpodResponsesTest {

    @Test
    void runningContainer() {
        ContainerStatus status = LibpodResponses.containerStatus(Fixtures.json("container-fx-run.json"));

        assertThat(status.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(status.name()).isEqualTo("app");
        assertThat(status.attempt()).isEqualTo(4);
        assertThat(status.sandboxId()).startsWith("0f4f2bfd69fc");
        assertThat(status.startedAt()).isEqualTo(Instant.parse("2026-11-21T08:28:51.426810914Z"));
        assertThat(status.finishedAt()).isNull();
        assertThat(status.exitCode()).isNull();
        assertThat(status.reason()).isNull();
        assertThat(status.image()).isEqualTo("localhost/busybox:latest");
        assertThat(status.imageId()).startsWith("c77c5755cf88");
        assertThat(status.annotations()).isEqualTo(Map.of("hash", "abc"));
        assertThat(status.labels())
                .containsEntry("io.petlet.container.name", "app")
                .doesNotContainKey(PodmanLabels.ANNOTATIONS);
        assertThat(status.logPath()).endsWith("/userdata/ctr.log");
    }

    @Test
    void exitCodeThreeIsAnError() {
        ContainerStatus status = LibpodResponses.containerStatus(Fixtures.json("container-fx-exit3.json"));

        assertThat(status.state()).isEqualTo(ContainerState.EXITED);
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.reason()).isEqualTo(ContainerStatus.REASON_ERROR);
        assertThat(status.finishedAt()).isAfterOrEqualTo(status.startedAt());
    }

    @Test
    void exitCodeZeroIsCompleted() {
        ContainerStatus status = LibpodResponses.containerStatus(Fixtures.json("container-fx-ok.json"));

        assertThat(status.exitCode()).isZero();
        assertThat(status.reason()).isEqualTo(ContainerStatus.REASON_COMPLETED);
    }

    @Test
    void finishNeverPrecedesStart() {
        JsonNode inspect = Fixtures.json("container-fx-exit3.json").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) inspect.path("State"))
                .put("StartedAt", "2026-11-21T08:42:55.500817119Z")
                .put("FinishedAt", "2026-11-21T08:42:55.499141613Z");

        ContainerStatus status = LibpodResponses.containerStatus(inspect);

        assertThat(status.finishedAt()).isEqualTo(status.startedAt());
    }

    @Test
    void oomKillIsReportedAsOomKilled() {
        ContainerStatus status = LibpodResponses.containerStatus(Fixtures.json("container-fx-oom.json"));

        assertThat(status.state()).isEqualTo(ContainerState.EXITED);
        assertThat(status.exitCode()).isEqualTo(137);
        assertThat(status.reason()).isEqualTo(ContainerStatus.REASON_OOM_KILLED);
    }

    @Test
    void containerThatFailedToStartStaysCreatedInPodman43() {
        ContainerStatus failed = LibpodResponses.containerStatus(Fixtures.json("container-fx-bad.json"));
        ContainerStatus created = LibpodResponses.containerStatus(Fixtures.json("container-fx-created.json"));

        assertThat(failed.state()).isEqualTo(ContainerState.CREATED);
        assertThat(created.state()).isEqualTo(ContainerState.CREATED);
        assertThat(created.startedAt()).as("Go's zero time means never").isNull();
        assertThat(created.exitCode()).isNull();
    }

    @Test
    void startErrorIsReportedWhenPodmanRecordsOne() {
        JsonNode inspect = Fixtures.json("container-fx-created.json").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) inspect.path("State"))
                .put("Error", "exec: \"/nonexistent\": no such file or directory");

        ContainerStatus status = LibpodResponses.containerStatus(inspect);

        assertThat(status.state()).isEqualTo(ContainerState.EXITED);
        assertThat(status.reason()).isEqualTo(ContainerStatus.REASON_START_ERROR);
        assertThat(status.exitCode()).isEqualTo(128);
        assertThat(status.message()).contains("/nonexistent");
    }

    @Test
    void listedContainersSkipNothingButReadTheirState() {
        List<ContainerSummary> containers = listedContainers();

        assertThat(containers).extracting(ContainerSummary::name).contains("app", "fx-exit3", "fx-oom", "fx-bad");
        ContainerSummary app = containers.stream()
                .filter(c -> c.name().equals("app"))
                .findFirst()
                .orElseThrow();
        assertThat(app.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(app.attempt()).isEqualTo(4);
        assertThat(app.createdAt()).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(app.imageId()).startsWith("c77c5755cf88");
    }

    @Test
    void readySandboxWithItsAddress() {
        PodSandboxStatus status =
                LibpodResponses.sandboxStatus(Fixtures.json("pod-fx.json"), Fixtures.json("infra-fx.json"));

        assertThat(status.state()).isEqualTo(PodSandboxState.READY);
        assertThat(status.podUid()).isEqualTo("u-1");
        assertThat(status.namespace()).isEqualTo("ns");
        assertThat(status.name()).isEqualTo("web");
        assertThat(status.attempt()).isEqualTo(2);
        assertThat(status.ipAddresses()).containsExactly("10.88.0.4");
        assertThat(status.hostNetwork()).isFalse();
        assertThat(status.annotations()).isEqualTo(Map.of("a", "b"));
        assertThat(status.labels()).doesNotContainKeys(PodmanLabels.ANNOTATIONS, PodmanLabels.SANDBOX_ATTEMPT);
    }

    @Test
    void theInfraContainersInspectionAloneDescribesTheSandbox() {
        PodSandboxStatus fromBoth =
                LibpodResponses.sandboxStatus(Fixtures.json("pod-fx.json"), Fixtures.json("infra-fx.json"));

        PodSandboxStatus fromInfra = LibpodResponses.sandboxStatusOfInfra(Fixtures.json("infra-fx.json"));

        assertThat(fromInfra)
                .usingRecursiveComparison()
                .ignoringFields("createdAt", "labels")
                .isEqualTo(fromBoth);
        assertThat(fromInfra.createdAt()).isCloseTo(fromBoth.createdAt(), within(1, ChronoUnit.SECONDS));
        assertThat(fromInfra.labels()).containsAllEntriesOf(fromBoth.labels()); // and the pause image's
    }

    @Test
    void listedInfraContainerIsItsSandbox() {
        PodSandboxSummary fromPods =
                LibpodResponses.sandboxSummary(Fixtures.json("pods-list.json").get(0));

        PodSandboxSummary fromInfra = LibpodResponses.sandboxSummaryOfInfra(
                Fixtures.json("containers-list.json").get(0));

        assertThat(fromInfra)
                .usingRecursiveComparison()
                .ignoringFields("createdAt", "labels")
                .isEqualTo(fromPods);
        assertThat(fromInfra.state()).isEqualTo(PodSandboxState.READY);
        assertThat(fromInfra.labels()).containsAllEntriesOf(fromPods.labels());
    }

    @Test
    void sandboxWithoutRunningInfraIsNotReadyAndHasNoAddress() {
        PodSandboxStatus status = LibpodResponses.sandboxStatus(Fixtures.json("pod-fx.json"), null);

        assertThat(status.state()).isEqualTo(PodSandboxState.NOTREADY);
        assertThat(status.ipAddresses()).isEmpty();
    }

    @Test
    void listedSandboxIsReadyWhenItsInfraContainerRuns() {
        PodSandboxSummary sandbox =
                LibpodResponses.sandboxSummary(Fixtures.json("pods-list.json").get(0));

        assertThat(sandbox.state()).isEqualTo(PodSandboxState.READY);
        assertThat(sandbox.podUid()).isEqualTo("u-1");
        assertThat(sandbox.attempt()).isEqualTo(2);
    }

    @Test
    void eventsMapToRuntimeEvents() {
        List<Optional<RuntimeEvent>> events = Fixtures.jsonLines("events.jsonl").stream()
                .map(LibpodResponses::event)
                .toList();

        assertThat(events).hasSize(8);
        assertThat(events.get(0)).get().extracting(RuntimeEvent::type).isEqualTo(RuntimeEvent.Type.CONTAINER_CREATED);
        assertThat(events.get(1)).get().extracting(RuntimeEvent::type).isEqualTo(RuntimeEvent.Type.CONTAINER_STARTED);
        RuntimeEvent died = events.get(2).orElseThrow();
        assertThat(died.type()).isEqualTo(RuntimeEvent.Type.CONTAINER_DIED);
        assertThat(died.exitCode()).isEqualTo(3);
        assertThat(died.sandboxId()).as("Podman 4.3 leaves podId empty on died").isNull();
        assertThat(died.labels()).doesNotContainKeys("containerExitCode", "image", "name", "podId");
        RuntimeEvent infraDied = events.get(3).orElseThrow();
        assertThat(infraDied.type()).isEqualTo(RuntimeEvent.Type.SANDBOX_STOPPED);
        assertThat(infraDied.containerId()).isNotNull();
        assertThat(events.get(4)).as("cleanup is not an SPI event").isEmpty();
        assertThat(events.get(5)).get().extracting(RuntimeEvent::type).isEqualTo(RuntimeEvent.Type.SANDBOX_STOPPED);
        assertThat(events.get(6)).get().extracting(RuntimeEvent::type).isEqualTo(RuntimeEvent.Type.SANDBOX_REMOVED);
        assertThat(events.get(7)).as("image events are not SPI events").isEmpty();
        assertThat(died.time()).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void deathOfAnOomKilledContainerGainsAnOomEventAndItsSandbox() {
        RuntimeEvent died =
                new RuntimeEvent(RuntimeEvent.Type.CONTAINER_DIED, "c1", null, Instant.EPOCH, 137, Map.of("k", "v"));

        assertThat(LibpodResponses.needsInspection(died)).isTrue();
        List<RuntimeEvent> enriched = LibpodResponses.enriched(died, Fixtures.json("container-fx-oom.json"));

        assertThat(enriched)
                .extracting(RuntimeEvent::type)
                .containsExactly(RuntimeEvent.Type.CONTAINER_OOM, RuntimeEvent.Type.CONTAINER_DIED);
        assertThat(enriched).extracting(RuntimeEvent::sandboxId).allMatch(id -> id.startsWith("0f4f2bfd69fc"));
        assertThat(enriched.get(1).exitCode()).isEqualTo(137);
    }

    @Test
    void ordinaryDeathGainsOnlyItsSandbox() {
        RuntimeEvent died = new RuntimeEvent(RuntimeEvent.Type.CONTAINER_DIED, "c1", null, Instant.EPOCH, 3, Map.of());

        List<RuntimeEvent> enriched = LibpodResponses.enriched(died, Fixtures.json("container-fx-exit3.json"));

        assertThat(enriched).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(RuntimeEvent.Type.CONTAINER_DIED);
            assertThat(event.sandboxId()).startsWith("0f4f2bfd69fc");
        });
    }

    @Test
    void eventsWithTheirSandboxNeedNoInspection() {
        RuntimeEvent started =
                new RuntimeEvent(RuntimeEvent.Type.CONTAINER_STARTED, "c1", "p1", Instant.EPOCH, null, Map.of());

        assertThat(LibpodResponses.needsInspection(started)).isFalse();
    }

    @Test
    void podmanStatesMapToCriStates() {
        assertThat(LibpodResponses.containerState("configured")).isEqualTo(ContainerState.CREATED);
        assertThat(LibpodResponses.containerState("paused")).isEqualTo(ContainerState.RUNNING);
        assertThat(LibpodResponses.containerState("stopped")).isEqualTo(ContainerState.EXITED);
        assertThat(LibpodResponses.containerState("removing")).isEqualTo(ContainerState.UNKNOWN);
    }

    private static List<ContainerSummary> listedContainers() {
        return java.util.stream.StreamSupport.stream(
                        Fixtures.json("containers-list.json").spliterator(), false)
                .filter(entry -> !entry.path("IsInfra").asBoolean())
                .map(LibpodResponses::containerSummary)
                .toList();
    }
}

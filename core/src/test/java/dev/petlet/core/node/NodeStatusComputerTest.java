package dev.petlet.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NodeStatusComputerTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00.750Z");

    private final NodeStatusComputer computer = new NodeStatusComputer(NodeTestValues.settings());

    private static NodeCondition condition(NodeStatus status, String type) {
        return NodeStatusComputer.find(status, type).orElseThrow();
    }

    @Test
    void aHealthyNodeIsReadyWithoutPressure() {
        NodeStatus status = computer.build(NodeTestValues.facts(), Optional.empty(), NOW, false);

        assertThat(status.getConditions())
                .extracting(NodeCondition::getType, NodeCondition::getStatus, NodeCondition::getReason)
                .containsExactly(
                        tuple("MemoryPressure", "False", "KubeletHasSufficientMemory"),
                        tuple("DiskPressure", "False", "KubeletHasNoDiskPressure"),
                        tuple("PIDPressure", "False", "KubeletHasSufficientPID"),
                        tuple("Ready", "True", "KubeletReady"));
        assertThat(status.getConditions()).allSatisfy(c -> {
            assertThat(c.getLastHeartbeatTime()).isEqualTo("2025-06-01T12:00:00Z");
            assertThat(c.getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
            assertThat(c.getMessage()).isNotBlank();
        });
    }

    @Test
    void aBrokenRuntimeMakesTheNodeNotReadyWithTheProblemAsMessage() {
        NodeFacts facts = new NodeTestValues.Facts()
                .runtimeProblem("container runtime is down: connection refused")
                .build();

        NodeCondition ready = condition(computer.build(facts, Optional.empty(), NOW, false), "Ready");

        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("KubeletNotReady");
        assertThat(ready.getMessage()).isEqualTo("container runtime is down: connection refused");
    }

    @Test
    void aStoppingNodeIsNotReady() {
        NodeCondition ready = condition(computer.build(NodeTestValues.facts(), Optional.empty(), NOW, true), "Ready");

        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("KubeletNotReady");
        assertThat(ready.getMessage()).isEqualTo("petlet is stopping");
    }

    @Test
    void pressureShowsInItsCondition() {
        NodeFacts facts =
                new NodeTestValues.Facts().memoryPressure().diskPressure().build();

        NodeStatus status = computer.build(facts, Optional.empty(), NOW, false);

        assertThat(condition(status, "MemoryPressure").getStatus()).isEqualTo("True");
        assertThat(condition(status, "MemoryPressure").getReason()).isEqualTo("KubeletHasInsufficientMemory");
        assertThat(condition(status, "DiskPressure").getStatus()).isEqualTo("True");
        assertThat(condition(status, "DiskPressure").getReason()).isEqualTo("KubeletHasDiskPressure");
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    }

    @Test
    void keepsTheTransitionTimeWhileAConditionKeepsItsStatus() {
        NodeStatus first = computer.build(NodeTestValues.facts(), Optional.empty(), NOW, false);
        Instant later = NOW.plus(Duration.ofMinutes(3));

        NodeStatus second = computer.build(NodeTestValues.facts(), Optional.of(first), later, false);

        assertThat(condition(second, "Ready").getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(condition(second, "Ready").getLastHeartbeatTime()).isEqualTo("2025-06-01T12:03:00Z");
    }

    @Test
    void movesTheTransitionTimeWhenAConditionChangesStatus() {
        NodeStatus first = computer.build(NodeTestValues.facts(), Optional.empty(), NOW, false);
        Instant later = NOW.plus(Duration.ofMinutes(3));

        NodeStatus second =
                computer.build(new NodeTestValues.Facts().memoryPressure().build(), Optional.of(first), later, false);

        assertThat(condition(second, "MemoryPressure").getLastTransitionTime()).isEqualTo("2025-06-01T12:03:00Z");
        assertThat(condition(second, "DiskPressure").getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
    }

    @Test
    void listsTheFiftyLargestImagesLargestFirstWithAtMostFiveNames() {
        List<ImageSummary> images = new ArrayList<>();
        IntStream.rangeClosed(1, 60)
                .forEach(i -> images.add(new ImageSummary(List.of("registry/image-" + i + ":1"), i * 1000L)));
        images.add(new ImageSummary(List.of(), 1_000_000_000L)); // untagged: no name to schedule by
        images.add(new ImageSummary(List.of("a@sha256:1", "a:1", "a:2", "a:3", "a:4", "a:5", "a:6"), 999_999L));

        NodeStatus status =
                computer.build(new NodeTestValues.Facts().images(images).build(), Optional.empty(), NOW, false);

        assertThat(status.getImages()).hasSize(50);
        assertThat(status.getImages().get(0).getNames()).containsExactly("a@sha256:1", "a:1", "a:2", "a:3", "a:4");
        assertThat(status.getImages().get(1).getNames()).containsExactly("registry/image-60:1");
        assertThat(status.getImages().get(49).getNames()).containsExactly("registry/image-12:1");
        assertThat(status.getImages())
                .extracting(image -> image.getSizeBytes())
                .isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void fillsAddressesEndpointAndNodeInfo() {
        NodeSettings withExternal = new NodeTestValues.Settings()
                .externalIP("203.0.113.7")
                .kubeletPort(12345)
                .build();

        NodeStatus status =
                new NodeStatusComputer(withExternal).build(NodeTestValues.facts(), Optional.empty(), NOW, false);

        assertThat(status.getAddresses())
                .containsExactly(
                        new NodeAddress("192.168.1.20", "InternalIP"),
                        new NodeAddress("203.0.113.7", "ExternalIP"),
                        new NodeAddress("pet-1", "Hostname"));
        assertThat(status.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(12345);
        assertThat(status.getNodeInfo().getKubeletVersion()).isEqualTo("v1.33.13+petlet.0.1.0");
        assertThat(status.getNodeInfo().getOperatingSystem()).isEqualTo("linux");
        assertThat(status.getNodeInfo().getArchitecture()).isEqualTo("amd64");
        assertThat(status.getNodeInfo().getContainerRuntimeVersion()).isEqualTo("podman://4.3.1");
        assertThat(status.getNodeInfo().getKernelVersion()).isEqualTo("6.1.0-18-amd64");
        assertThat(status.getNodeInfo().getOsImage()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(status.getNodeInfo().getMachineID()).isEqualTo("3d1219c7c4c5404aaa1f6d2a48adfda4");
        assertThat(status.getNodeInfo().getSystemUUID()).isEqualTo("4c4c4544-0042-4b10-8036-b4c04f4d3232");
        assertThat(status.getNodeInfo().getBootID()).isEqualTo("be9d1292-ba45-42d8-b00b-8c0ed8707c4c");
    }

    @Test
    void allocatableIsCapacityLessReserved() {
        NodeSettings reserving = new NodeTestValues.Settings()
                .reserved(Map.of("cpu", "500m", "memory", "1Gi", "ephemeral-storage", "200G"))
                .build();

        NodeStatus status =
                new NodeStatusComputer(reserving).build(NodeTestValues.facts(), Optional.empty(), NOW, false);

        assertThat(status.getCapacity())
                .containsEntry("cpu", new Quantity("4"))
                .containsEntry("memory", new Quantity(Long.toString(8L << 30)))
                .containsEntry("ephemeral-storage", new Quantity("100000000000"))
                .containsEntry("pods", new Quantity("110"));
        assertThat(Quantity.getAmountInBytes(status.getAllocatable().get("cpu")))
                .isEqualByComparingTo("3.5");
        assertThat(Quantity.getAmountInBytes(status.getAllocatable().get("memory")))
                .isEqualByComparingTo(Long.toString(7L << 30));
        // More reserved than there is: zero, not negative.
        assertThat(Quantity.getAmountInBytes(status.getAllocatable().get("ephemeral-storage")))
                .isEqualByComparingTo("0");
        assertThat(status.getAllocatable()).containsEntry("pods", new Quantity("110"));
    }
}

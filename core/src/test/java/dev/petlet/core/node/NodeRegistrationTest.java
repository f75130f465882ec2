package dev.petlet.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRegistrationTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final FakeNodeApi api = new FakeNodeApi();
    private final NodeSettings settings = NodeTestValues.settings();
    private final NodeRegistration registration = new NodeRegistration(api, settings, new NodeStatusComputer(settings));

    private static Node existing(Map<String, String> labels, List<Taint> taints) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName("pet-1")
                .withLabels(labels)
                .withAnnotations(Map.of("owner", "admin"))
                .endMetadata()
                .withNewSpec()
                .withTaints(taints)
                .endSpec()
                .build();
    }

    @Test
    void createsANodeWithLabelsTaintsAndStatus() {
        NodeRegistration.Result result = registration.register(NodeTestValues.facts(), NOW);

        assertThat(result.created()).isTrue();
        Node node = api.node().orElseThrow();
        assertThat(node.getMetadata().getLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "kubernetes.io/hostname", "pet-1",
                        "kubernetes.io/os", "linux",
                        "kubernetes.io/arch", "amd64",
                        "disk", "ssd"));
        assertThat(node.getSpec().getTaints())
                .containsExactly(new TaintBuilder()
                        .withKey("dedicated")
                        .withValue("pets")
                        .withEffect("NoSchedule")
                        .build());
        assertThat(NodeStatusComputer.find(node.getStatus(), "Ready")
                        .orElseThrow()
                        .getStatus())
                .isEqualTo("True");
        assertThat(result.sentStatus()).isPresent();
    }

    @Test
    void adoptsAnExistingNodeKeepingOthersLabelsAndSettingOurs() {
        api.givenNode(existing(
                Map.of("node-role.kubernetes.io/worker", "", "disk", "hdd", "kubernetes.io/hostname", "pet-1"),
                List.of(new TaintBuilder()
                        .withKey("dedicated")
                        .withValue("pets")
                        .withEffect("NoSchedule")
                        .build())));

        NodeRegistration.Result result = registration.register(NodeTestValues.facts(), NOW);

        assertThat(result.created()).isFalse();
        Node node = api.node().orElseThrow();
        assertThat(node.getMetadata().getLabels())
                .containsEntry("node-role.kubernetes.io/worker", "")
                .containsEntry("disk", "ssd")
                .containsEntry("kubernetes.io/os", "linux");
        assertThat(node.getMetadata().getAnnotations()).containsEntry("owner", "admin");
        assertThat(api.requests()).containsExactly("get node", "set labels");
    }

    @Test
    void addsMissingTaintsKeepingTheOthers() {
        Taint adminTaint = new TaintBuilder()
                .withKey("maintenance")
                .withEffect("NoExecute")
                .build();
        api.givenNode(existing(Map.of(), List.of(adminTaint)));

        registration.register(NodeTestValues.facts(), NOW);

        assertThat(api.node().orElseThrow().getSpec().getTaints())
                .extracting(Taint::getKey)
                .containsExactly("maintenance", "dedicated");
    }

    @Test
    void leavesATaintAnAdministratorGaveAnotherValue() {
        Taint changed = new TaintBuilder()
                .withKey("dedicated")
                .withValue("cattle")
                .withEffect("NoSchedule")
                .build();
        api.givenNode(existing(Map.of(), List.of(changed)));

        registration.register(NodeTestValues.facts(), NOW);

        assertThat(api.node().orElseThrow().getSpec().getTaints()).containsExactly(changed);
        assertThat(api.requests()).doesNotContain("set taints");
    }

    @Test
    void adoptsTheNodeEvenWhenNodeRestrictionForbidsAddingTaints() {
        api.givenNode(existing(Map.of(), List.of()));
        api.forbidTaintChanges();

        NodeRegistration.Result result = registration.register(NodeTestValues.facts(), NOW);

        assertThat(result.node().getSpec().getTaints()).isEmpty();
        assertThat(api.requests()).containsExactly("get node", "set labels", "set taints");
    }

    @Test
    void adoptsANodeCreatedByAnotherBetweenLookingAndCreating() {
        api.raceOnCreate(existing(Map.of("kubernetes.io/hostname", "pet-1"), List.of()));

        NodeRegistration.Result result = registration.register(NodeTestValues.facts(), NOW);

        assertThat(result.created()).isFalse();
        assertThat(api.requests()).containsSequence("get node", "create node", "get node");
    }

    @Test
    void labelsToSetAreTheMissingAndTheChanged() {
        assertThat(NodeRegistration.labelsToSet(Map.of("a", "1", "b", "2"), Map.of("a", "1", "b", "3", "c", "4")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("b", "3", "c", "4"));
    }
}

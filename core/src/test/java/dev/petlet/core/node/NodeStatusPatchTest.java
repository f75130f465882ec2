package dev.petlet.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeStatusPatchTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    private final NodeStatusComputer computer = new NodeStatusComputer(NodeTestValues.settings());
    private final NodeStatus reported = computer.build(NodeTestValues.facts(), Optional.empty(), NOW, false);

    @Test
    void theFirstPatchSetsEverything() {
        NodeStatusPatch patch = NodeStatusPatch.between(Optional.empty(), reported);

        assertThat(patch.changedFields())
                .containsExactly(
                        "conditions", "addresses", "daemonEndpoints", "nodeInfo", "capacity", "allocatable", "images");
        assertThat(patch.conditions()).hasSize(4);
    }

    @Test
    void anUnchangedStatusPatchesOnlyTheConditionHeartbeats() {
        NodeStatus next = computer.build(NodeTestValues.facts(), Optional.of(reported), NOW.plusSeconds(10), false);

        NodeStatusPatch patch = NodeStatusPatch.between(Optional.of(reported), next);

        assertThat(patch.changedFields()).containsExactly("conditions");
        assertThat(NodeStatusPatch.differs(Optional.of(reported), next)).isFalse();
    }

    @Test
    void aChangedFieldIsPatchedAndCountsAsADifference() {
        NodeFacts rebooted = new NodeTestValues.Facts().bootId("new-boot").build();
        NodeStatus next = computer.build(rebooted, Optional.of(reported), NOW.plusSeconds(10), false);

        assertThat(NodeStatusPatch.between(Optional.of(reported), next).changedFields())
                .containsExactly("conditions", "nodeInfo");
        assertThat(NodeStatusPatch.differs(Optional.of(reported), next)).isTrue();
    }

    @Test
    void aConditionChangeIsADifference() {
        NodeStatus next = computer.build(
                new NodeTestValues.Facts().runtimeProblem("down").build(),
                Optional.of(reported),
                NOW.plusSeconds(10),
                false);

        assertThat(NodeStatusPatch.differs(Optional.of(reported), next)).isTrue();
    }

    @Test
    void quantitiesAreComparedByAmountNotSpelling() {
        Map<String, Quantity> rewritten = new java.util.LinkedHashMap<>(reported.getCapacity());
        rewritten.put("memory", new Quantity("8Gi"));
        NodeStatus asServerWroteIt =
                new NodeStatusBuilder(reported).withCapacity(rewritten).build();
        NodeStatus next =
                computer.build(NodeTestValues.facts(), Optional.of(asServerWroteIt), NOW.plusSeconds(10), false);

        assertThat(NodeStatusPatch.between(Optional.of(asServerWroteIt), next).changedFields())
                .containsExactly("conditions");
    }

    @Test
    void conditionsOthersOwnAreNeitherComparedNorPatched() {
        List<NodeCondition> withNetwork = new ArrayList<>(reported.getConditions());
        withNetwork.add(new NodeConditionBuilder()
                .withType("NetworkUnavailable")
                .withStatus("False")
                .withReason("RouteCreated")
                .build());
        NodeStatus onServer =
                new NodeStatusBuilder(reported).withConditions(withNetwork).build();
        NodeStatus next = computer.build(NodeTestValues.facts(), Optional.of(onServer), NOW.plusSeconds(10), false);

        assertThat(NodeStatusPatch.differs(Optional.of(onServer), next)).isFalse();
        assertThat(NodeStatusPatch.between(Optional.of(onServer), next).conditions())
                .extracting(NodeCondition::getType)
                .doesNotContain("NetworkUnavailable");
    }

    @Test
    void anUnchangedStatusIsReportedOnlyAfterTheReportFrequency() {
        NodeStatus next = computer.build(NodeTestValues.facts(), Optional.of(reported), NOW.plusSeconds(10), false);

        assertThat(NodeStatusPatch.reportDue(
                        Optional.of(reported), next, Optional.of(NOW), NOW.plusSeconds(10), FIVE_MINUTES))
                .isFalse();
        assertThat(NodeStatusPatch.reportDue(
                        Optional.of(reported),
                        next,
                        Optional.of(NOW),
                        NOW.plus(FIVE_MINUTES).minusSeconds(1),
                        FIVE_MINUTES))
                .isFalse();
        assertThat(NodeStatusPatch.reportDue(
                        Optional.of(reported), next, Optional.of(NOW), NOW.plus(FIVE_MINUTES), FIVE_MINUTES))
                .isTrue();
        assertThat(NodeStatusPatch.reportDue(Optional.of(reported), next, Optional.empty(), NOW, FIVE_MINUTES))
                .isTrue();
    }

    @Test
    void theBodyReplacesTheAddressListAndMergesConditions() {
        String json = new KubernetesSerialization()
                .asJson(NodeStatusPatch.between(Optional.empty(), reported).body());

        assertThat(json)
                .startsWith("{\"status\":{\"conditions\":[")
                .contains("{\"$patch\":\"replace\"}")
                .contains("\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":10250}}")
                .contains("\"kubeletVersion\":\"v1.33.13+petlet.0.1.0\"")
                .contains("\"pods\":\"110\"");
    }
}

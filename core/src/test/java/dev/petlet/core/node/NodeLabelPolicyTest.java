package dev.petlet.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeLabelPolicyTest {
    @Test
    void allowsOrdinaryAndKubeletLabels() {
        assertThat(NodeLabelPolicy.forbiddenReason("disk")).isEmpty();
        assertThat(NodeLabelPolicy.forbiddenReason("example.com/rack")).isEmpty();
        assertThat(NodeLabelPolicy.forbiddenReason("topology.kubernetes.io/zone"))
                .isEmpty();
        assertThat(NodeLabelPolicy.forbiddenReason("node.kubernetes.io/instance-type"))
                .isEmpty();
        assertThat(NodeLabelPolicy.forbiddenReason("feature.node.kubernetes.io/gpu"))
                .isEmpty();
        assertThat(NodeLabelPolicy.forbiddenReason("kubelet.kubernetes.io/anything"))
                .isEmpty();
    }

    @Test
    void forbidsRoleAndRestrictionLabelsWithAdvice() {
        assertThat(NodeLabelPolicy.forbiddenReason("node-role.kubernetes.io/worker"))
                .contains("NodeRestriction forbids nodes to set labels under node-role.kubernetes.io/;"
                        + " set it with kubectl label instead");
        assertThat(NodeLabelPolicy.forbiddenReason("node-restriction.kubernetes.io/team"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("kubectl label"));
        assertThat(NodeLabelPolicy.forbiddenReason("example.node-restriction.kubernetes.io/team"))
                .isPresent();
        assertThat(NodeLabelPolicy.forbiddenReason("kubernetes.io/role")).isPresent();
        assertThat(NodeLabelPolicy.forbiddenReason("something.k8s.io/x")).isPresent();
    }

    @Test
    void reservesTheLabelsPetletSetsItself() {
        assertThat(NodeLabelPolicy.forbiddenReason("kubernetes.io/hostname"))
                .contains("petlet sets kubernetes.io/hostname itself from nodeName; remove it");
        assertThat(NodeLabelPolicy.forbiddenReason("kubernetes.io/arch")).isPresent();
    }

    @Test
    void theKubeletVersionCarriesPetletsVersionAsBuildMetadata() {
        assertThat(NodeSettings.kubeletVersion("v1.33.13", "0.1.0")).isEqualTo("v1.33.13+petlet.0.1.0");
        assertThat(NodeSettings.kubeletVersion("1.33.13", "0.2.0-SNAPSHOT"))
                .isEqualTo("v1.33.13+petlet.0.2.0-SNAPSHOT");
    }
}

package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.PodSandboxConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodmanLabelsTest {

    @Test
    void metadataLabelsReplaceCallerValuesUnderTheSameKeys() {
        PodSandboxConfig sandbox = PodSandboxConfig.builder("uid-1", "ns", "web")
                .label("io.petlet.pod.uid", "wrong")
                .build();

        assertThat(PodmanLabels.forSandbox(sandbox)).containsEntry("io.petlet.pod.uid", "uid-1");
    }

    @Test
    void annotationsRoundTripThroughALabel() {
        ContainerConfig container = ContainerConfig.builder("app", ImageSpec.of("busybox"))
                .annotation("io.kubernetes.container.hash", "1234")
                .annotation("quote", "a \"b\"")
                .build();

        Map<String, String> labels = PodmanLabels.forContainer(
                container, PodSandboxConfig.builder("u", "n", "p").build());

        assertThat(PodmanLabels.annotations(labels))
                .isEqualTo(Map.of("io.kubernetes.container.hash", "1234", "quote", "a \"b\""));
        assertThat(PodmanLabels.visible(labels)).doesNotContainKey(PodmanLabels.ANNOTATIONS);
    }

    @Test
    void unreadableAnnotationsAreEmptyRatherThanFatal() {
        assertThat(PodmanLabels.annotations(Map.of(PodmanLabels.ANNOTATIONS, "{broken")))
                .isEmpty();
        assertThat(PodmanLabels.annotations(Map.of())).isEmpty();
    }

    @Test
    void namesAreValidPodmanNames() {
        PodSandboxConfig sandbox = PodSandboxConfig.builder("0b1c-2d", "kube-system", "coredns-5d78c9869d-abcde")
                .attempt(2)
                .build();
        ContainerConfig container = ContainerConfig.builder("coredns", ImageSpec.of("busybox"))
                .attempt(7)
                .build();

        assertThat(PodmanLabels.sandboxName(sandbox)).isEqualTo("kube-system_coredns-5d78c9869d-abcde_0b1c-2d_2");
        assertThat(PodmanLabels.containerName(container, sandbox))
                .isEqualTo("kube-system_coredns-5d78c9869d-abcde_0b1c-2d_2_coredns_7")
                .matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    }

    @Test
    void labelMatchingNeedsEveryRequiredEntry() {
        Map<String, String> labels = Map.of("a", "1", "b", "2");

        assertThat(PodmanLabels.matches(Map.of("a", "1"), labels)).isTrue();
        assertThat(PodmanLabels.matches(Map.of("a", "1", "b", "3"), labels)).isFalse();
        assertThat(PodmanLabels.matches(Map.of(), labels)).isTrue();
    }
}

package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import dev.petlet.testing.registry.TestRegistry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Images that cannot be had: the kubelet's waiting reasons, events and pull back-off. */
@SandboxE2E
@Tag("node-agent")
class ImagePullE2E {
    private static TestNamespace namespace;
    private static TestRegistry registry;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        registry = TestRegistry.shared();
        namespace = TestNamespace.create(cluster, "e2e-imagepull");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void aMissingImageFailsToPullThenBacksOff() {
        String image = registry.address() + "/nope:1";
        Pod backingOff;
        try (WaitingReasonRecorder recorder = new WaitingReasonRecorder(namespace, "missing")) {
            namespace.apply(BusyboxPods.pod("missing", "Always", "true")
                    .editSpec()
                    .editFirstContainer()
                    .withImage(image)
                    .endContainer()
                    .endSpec()
                    .build());

            backingOff =
                    Poll.until(TestNamespace.TIMEOUT, "pod missing to go ErrImagePull, then ImagePullBackOff", () -> {
                        Pod pod = namespace.pod("missing").orElseThrow();
                        boolean inBackOff = TestNamespace.container(pod)
                                .map(c -> c.getState().getWaiting() != null
                                        && "ImagePullBackOff"
                                                .equals(c.getState()
                                                        .getWaiting()
                                                        .getReason()))
                                .orElse(false);
                        return inBackOff && recorder.reasons().contains("ErrImagePull")
                                ? Optional.of(pod)
                                : Optional.empty();
                    });
            assertThat(recorder.reasons()).containsSubsequence("ErrImagePull", "ImagePullBackOff");
        }
        Poll.untilTrue(
                TestNamespace.TIMEOUT,
                "kubectl get pod missing to show STATUS ImagePullBackOff",
                () -> namespace.statusColumn("missing").equals("ImagePullBackOff"));
        assertThat(TestNamespace.container(backingOff)
                        .orElseThrow()
                        .getState()
                        .getWaiting()
                        .getMessage())
                .startsWith("Back-off pulling image \"" + image + "\"");
        assertThat(backingOff.getStatus().getPhase()).isEqualTo("Pending");

        Event failed = namespace.awaitEvent("missing", "Failed", "Failed to pull image \"" + image + "\"");
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(failed.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(failed.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
        namespace.awaitEvent("missing", "Failed", "Error: ErrImagePull");
        namespace.awaitEvent("missing", "Pulling", "Pulling image \"" + image + "\"");
        namespace.awaitEvent("missing", "BackOff", "Back-off pulling image \"" + image + "\"");
    }

    @Test
    void aMissingImageWithPullPolicyNeverIsNotPulled() {
        String image = "localhost/petlet-e2e-absent:1";
        namespace.apply(BusyboxPods.pod("never", "Always", "true")
                .editSpec()
                .editFirstContainer()
                .withImage(image)
                .withImagePullPolicy("Never")
                .endContainer()
                .endSpec()
                .build());

        Pod pod = namespace.awaitWaiting("never", "ErrImageNeverPull");

        assertThat(TestNamespace.container(pod)
                        .orElseThrow()
                        .getState()
                        .getWaiting()
                        .getMessage())
                .isEqualTo("Container image \"" + image + "\" is not present with pull policy of Never");
        assertThat(namespace.statusColumn("never")).isEqualTo("ErrImageNeverPull");
        Event event = namespace.awaitEvent("never", "ErrImageNeverPull", image);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(namespace.events("never"))
                .noneSatisfy(e -> assertThat(e.getReason()).isEqualTo("Pulling"));
    }

    @Test
    void anInvalidImageNameIsReported() {
        String image = "Invalid:Image::";
        namespace.apply(BusyboxPods.pod("invalid", "Always", "true")
                .editSpec()
                .editFirstContainer()
                .withImage(image)
                .endContainer()
                .endSpec()
                .build());

        Pod pod = namespace.awaitWaiting("invalid", "InvalidImageName");

        assertThat(TestNamespace.container(pod)
                        .orElseThrow()
                        .getState()
                        .getWaiting()
                        .getMessage())
                .contains("couldn't parse image name \"" + image + "\"");
        assertThat(namespace.statusColumn("invalid")).isEqualTo("InvalidImageName");
        Event event = namespace.awaitEvent("invalid", "InspectFailed", image);
        assertThat(event.getType()).isEqualTo("Warning");
    }
}

package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.Commands;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import dev.petlet.testing.registry.TestRegistry;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Images from a registry that requires a login: pulled only with an image pull secret, of either type
 * the kubelet reads. Pull policy Always, so a copy already on the node does not stand in for a pull.
 */
@SandboxE2E
@Tag("node-agent")
class PrivateImageE2E {
    private static TestNamespace namespace;
    private static TestRegistry registry;
    private static String image;

    @BeforeAll
    static void pushImageAndCreateNamespace(TestCluster cluster) {
        registry = TestRegistry.shared();
        image = registry.push(BusyboxPods.IMAGE, "private/busybox:1");
        namespace = TestNamespace.create(cluster, "e2e-private");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
        // The pulls left the local busybox image with a second name; remove just that name, so
        // tests that count on busybox having one name (removing an image in use) keep working.
        if (image != null) {
            Commands.run(
                    Duration.ofMinutes(1),
                    List.of("podman", "rmi", image),
                    Map.of("CONTAINERS_CONF", "/etc/petlet/containers.conf"));
        }
    }

    private static Pod privatePod(String name, String... pullSecrets) {
        return BusyboxPods.pod(name, "Always", "trap 'exit 0' TERM; while true; do sleep 1; done")
                .editSpec()
                .editFirstContainer()
                .withImage(image)
                .withImagePullPolicy("Always")
                .endContainer()
                .withImagePullSecrets(List.of(pullSecrets).stream()
                        .map(io.fabric8.kubernetes.api.model.LocalObjectReference::new)
                        .toList())
                .endSpec()
                .build();
    }

    @Test
    void withoutAPullSecretThePullIsUnauthorized() {
        namespace.apply(privatePod("anonymous"));

        Pod pod = namespace.awaitPod(
                "anonymous",
                "to wait with ErrImagePull or ImagePullBackOff",
                p -> TestNamespace.container(p)
                        .map(c -> c.getState().getWaiting() != null
                                && List.of("ErrImagePull", "ImagePullBackOff")
                                        .contains(c.getState().getWaiting().getReason()))
                        .orElse(false));

        assertThat(TestNamespace.container(pod)
                        .orElseThrow()
                        .getState()
                        .getWaiting()
                        .getMessage())
                .containsIgnoringCase("unauthorized");
        assertThat(namespace
                        .awaitEvent("anonymous", "Failed", "Failed to pull image \"" + image + "\"")
                        .getMessage())
                .containsIgnoringCase("unauthorized");
    }

    @Test
    void pullsWithDockerConfigJsonAndDockerCfgSecrets() {
        namespace.kubectlOk(
                "create",
                "secret",
                "generic",
                "config-json",
                "--type=kubernetes.io/dockerconfigjson",
                "--from-file=.dockerconfigjson=" + TestNamespace.temporaryFile(registry.dockerConfigJson()));
        namespace.kubectlOk(
                "create",
                "secret",
                "generic",
                "legacy-cfg",
                "--type=kubernetes.io/dockercfg",
                "--from-file=.dockercfg=" + TestNamespace.temporaryFile(registry.dockerCfg()));
        namespace.kubectlOk(
                "create",
                "secret",
                "docker-registry",
                "made-by-kubectl",
                "--docker-server=" + registry.address(),
                "--docker-username=" + registry.username(),
                "--docker-password=" + registry.password());
        // A missing secret is reported and skipped; the next one is used.
        namespace.apply(privatePod("with-json", "not-there", "config-json"));
        namespace.apply(privatePod("with-cfg", "legacy-cfg"));
        namespace.apply(privatePod("with-kubectl-secret", "made-by-kubectl"));

        for (String name : List.of("with-json", "with-cfg", "with-kubectl-secret")) {
            Pod pod = namespace.awaitReady(name);
            assertThat(TestNamespace.container(pod).orElseThrow().getImage()).isEqualTo(image);
            namespace.awaitEvent(name, "Pulled", "Successfully pulled image \"" + image + "\"");
        }
        namespace.awaitEvent("with-json", "FailedToRetrieveImagePullSecret", "not-there");
    }
}

package dev.petlet.core.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.core.env.EnvironmentResolver;
import dev.petlet.core.env.FakeObjects;
import dev.petlet.core.env.PodFacts;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.EnvironmentVariable;
import dev.petlet.spi.runtime.Mount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerConfigFactoryTest {
    private final FakeObjects objects = new FakeObjects();
    private final List<String> warnings = new ArrayList<>();
    private final PodEvents events = new PodEvents() {
        @Override
        public void normal(Pod pod, String fieldPath, String reason, String message) {}

        @Override
        public void warning(Pod pod, String fieldPath, String reason, String message) {
            warnings.add(fieldPath + " " + reason + ": " + message);
        }
    };
    private final ContainerConfigFactory factory = new ContainerConfigFactory(
            new PodDirectories(Path.of("/var/lib/petlet/pods")),
            new EnvironmentResolver(objects),
            pod -> new PodFacts(List.of("192.168.1.10"), List.of("10.88.0.5"), Map.of(), Optional.empty()),
            events);

    private static Pod pod() {
        return new PodBuilder(PodFixtures.pod("Always", "app").build())
                .editSpec()
                .editFirstContainer()
                .withCommand("echo", "$(POD_IP)")
                .addNewEnv()
                .withName("POD_IP")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("status.podIP")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnvFrom()
                .withNewConfigMapRef("settings", null)
                .endEnvFrom()
                .addNewVolumeMount()
                .withName("config")
                .withMountPath("/etc/config")
                .endVolumeMount()
                .endContainer()
                .addNewVolume()
                .withName("config")
                .withNewConfigMap()
                .withName("settings")
                .endConfigMap()
                .endVolume()
                .endSpec()
                .build();
    }

    @Test
    void passesTheResolvedEnvironmentExpandedCommandAndVolumeMounts() throws ContainerConfigError {
        objects.configMap("shop", "settings", Map.of("mode", "fast", "9lives", "x"));
        Pod pod = pod();
        Container container = pod.getSpec().getContainers().get(0);

        ContainerConfig config = factory.create(
                pod, container, 0, Map.of("config", Path.of("/var/lib/petlet/pods/v/config")), new AgentLabel("a"));

        assertThat(config.environment())
                .contains(new EnvironmentVariable("POD_IP", "10.88.0.5"), new EnvironmentVariable("mode", "fast"));
        assertThat(config.command()).containsExactly("echo", "10.88.0.5");
        assertThat(config.mounts()).contains(new Mount("/var/lib/petlet/pods/v/config", "/etc/config", true));
        assertThat(warnings)
                .containsExactly("spec.containers{app} InvalidEnvironmentVariableNames: Keys [9lives] from the EnvFrom"
                        + " configMap shop/settings were skipped since they are considered invalid environment"
                        + " variable names.");
    }

    @Test
    void aMissingReferenceIsAConfigError() {
        Pod pod = pod();
        assertThatThrownBy(() ->
                        factory.create(pod, pod.getSpec().getContainers().get(0), 0, Map.of(), new AgentLabel("a")))
                .isInstanceOf(ContainerConfigError.class)
                .hasMessage("configmap \"settings\" not found");
    }
}

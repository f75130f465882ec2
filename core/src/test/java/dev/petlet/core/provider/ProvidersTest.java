package dev.petlet.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.ProviderCheck;
import dev.petlet.spi.ProviderContext;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.RuntimeFactory;
import dev.petlet.testing.fake.InMemoryContainerRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Selecting providers on a flat class path (tests, the IDE), with the in-memory runtime as the provider. */
class ProvidersTest {
    private static PetletPlugin plugin(String runtimeName) {
        return new PetletPlugin() {
            @Override
            public List<RuntimeFactory> runtimes() {
                return List.of(new RuntimeFactory() {
                    @Override
                    public String name() {
                        return runtimeName;
                    }

                    @Override
                    public ContainerRuntime create(Map<String, String> config, ProviderContext context) {
                        return InMemoryContainerRuntime.withBusybox();
                    }

                    @Override
                    public List<ProviderCheck> check(Map<String, String> config) {
                        if (config.containsKey("broken")) {
                            throw new IllegalStateException("cannot check");
                        }
                        return List.of(ProviderCheck.passed("memory is there"));
                    }
                });
            }
        };
    }

    @Test
    void theNamedRuntimeIsCreatedAndRuns() throws Exception {
        Providers providers = Providers.of(List.of(plugin("in-memory")));

        try (ContainerRuntime runtime =
                providers.runtime("in-memory", Map.of(), "node", Path.of("/nonexistent"), Clock.systemUTC())) {
            PodSandboxConfig sandbox =
                    PodSandboxConfig.builder("uid", "ns", "pod").build();
            String sandboxId = runtime.runPodSandbox(sandbox);
            String id = runtime.createContainer(
                    sandboxId,
                    ContainerConfig.builder("app", ImageSpec.of("localhost/busybox:latest"))
                            .command("sleep", "60")
                            .build(),
                    sandbox);
            runtime.startContainer(id);

            assertThat(runtime.containerStatus(id).state()).isEqualTo(ContainerState.RUNNING);
        }
    }

    @Test
    void aMissingRuntimeNamesTheInstalledOnes() {
        Providers providers = Providers.of(List.of(plugin("in-memory"), plugin("other")));

        assertThatThrownBy(() -> providers.runtime("podman", Map.of(), "node", Path.of("/x"), Clock.systemUTC()))
                .isInstanceOf(ProviderLoadException.class)
                .hasMessage("runtime provider \"podman\" is not installed (looked in the given plugins); installed"
                        + " runtimes: in-memory, other");
    }

    @Test
    void twoRuntimesWithOneNameAreRefused() {
        assertThatThrownBy(() -> Providers.of(List.of(plugin("same"), plugin("same"))))
                .isInstanceOf(ProviderLoadException.class)
                .hasMessageStartingWith("two providers offer the runtime provider \"same\"");
    }

    @Test
    void checksRunWithTheProvidersLoaderAndAThrowingCheckFails() {
        Providers.Selected selected =
                Providers.of(List.of(plugin("in-memory"))).select(ProviderKind.RUNTIME, "in-memory");

        assertThat(selected.provider().check(selected.factory(), Map.of()))
                .containsExactly(ProviderCheck.passed("memory is there"));
        assertThat(selected.provider().check(selected.factory(), Map.of("broken", "yes")))
                .singleElement()
                .satisfies(check -> {
                    assertThat(check.passed()).isFalse();
                    assertThat(check.advice()).contains("cannot check");
                });
    }
}

package dev.petlet.core.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.core.config.HostDefaults;
import dev.petlet.core.config.PetletConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeJoinTest {
    @TempDir
    Path directory;

    private NodeJoin.Request request(Path state) {
        return new NodeJoin.Request(
                "pet-1",
                state,
                state.resolve("petlet.yaml"),
                Optional.of(31250),
                Optional.of("192.0.2.4"),
                Optional.empty(),
                Duration.ofMinutes(1));
    }

    @Test
    void theWrittenConfigurationIsValidAndTurnsOnRotation() throws Exception {
        Path state = directory.resolve("state");
        PetletConfig config = PetletConfig.parse(
                NodeJoin.configuration(request(state)), "petlet.yaml", directory, new HostDefaults() {
                    @Override
                    public String hostname() {
                        return "host";
                    }

                    @Override
                    public Optional<String> primaryIPv4() {
                        return Optional.empty();
                    }
                });
        assertThat(config.nodeName()).isEqualTo("pet-1");
        assertThat(config.kubeconfig()).contains(state.resolve("kubeconfig"));
        assertThat(config.bootstrapKubeconfig()).contains(state.resolve("bootstrap-kubeconfig"));
        assertThat(config.rotateCertificates()).isTrue();
        assertThat(config.serverTLSBootstrap()).isTrue();
        assertThat(config.kubeletPort()).isEqualTo(31250);
        assertThat(config.nodeIP()).isEqualTo("192.0.2.4");
    }

    @Test
    void refusesAMachineThatJoinedAlreadyWithoutTouchingIt() throws Exception {
        Path state = Files.createDirectories(directory.resolve("state"));
        Files.writeString(state.resolve("kubeconfig"), "existing");
        assertThatThrownBy(() -> NodeJoin.join(
                        new NodeJoin.BootstrapKubeconfig(directory.resolve("none")),
                        request(state),
                        line -> {},
                        Clock.systemUTC()))
                .isInstanceOf(JoinException.class)
                .hasMessageContaining("joined already")
                .hasMessageContaining("petlet run --config");
        assertThat(Files.readString(state.resolve("kubeconfig"))).isEqualTo("existing");
    }

    @Test
    void anUnreadableBootstrapKubeconfigLeavesNoStateDirectory() {
        Path state = directory.resolve("fresh");
        assertThatThrownBy(() -> NodeJoin.join(
                        new NodeJoin.BootstrapKubeconfig(directory.resolve("missing.kubeconfig")),
                        request(state),
                        line -> {},
                        Clock.systemUTC()))
                .isInstanceOf(JoinException.class)
                .hasMessageStartingWith("--bootstrap-kubeconfig: cannot read");
        assertThat(state).doesNotExist();
    }
}

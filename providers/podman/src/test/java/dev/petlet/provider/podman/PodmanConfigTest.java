package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodmanConfigTest {

    @Test
    void defaultsToTheRootfulSocket() throws ProviderException {
        PodmanConfig config = PodmanConfig.parse(Map.of());

        assertThat(config.socket()).isEqualTo(Path.of("/run/podman/podman.sock"));
        assertThat(config.insecureRegistries()).isEmpty();
        assertThat(config.sandboxStarts())
                .isEqualTo(PodmanConfig.defaultSandboxStarts())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void readsHowManySandboxesStartAtOnceAndRefusesWhatIsNotACount() throws ProviderException {
        assertThat(PodmanConfig.parse(Map.of("sandbox-starts", " 3 ")).sandboxStarts())
                .isEqualTo(3);
        for (String bad : new String[] {"0", "-1", "many"}) {
            assertThatThrownBy(() -> PodmanConfig.parse(Map.of("sandbox-starts", bad)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("'sandbox-starts' must be a whole number from 1 up, was '" + bad + "'");
        }
    }

    @Test
    void readsSocketAndInsecureRegistries() throws ProviderException {
        PodmanConfig config = PodmanConfig.parse(
                Map.of("socket", "/tmp/p.sock", "insecure-registries", " 127.0.0.1:5000, registry.lan ,"));

        assertThat(config.socket()).isEqualTo(Path.of("/tmp/p.sock"));
        assertThat(config.insecureRegistries()).containsExactlyInAnyOrder("127.0.0.1:5000", "registry.lan");
    }

    @Test
    void unknownKeysAreInvalidAndNamed() {
        assertThatThrownBy(() -> PodmanConfig.parse(Map.of("sokcet", "/x")))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("'sokcet'")
                .hasMessageContaining("[insecure-registries, sandbox-starts, socket]")
                .extracting(error -> ((ProviderException) error).code())
                .isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void relativeSocketPathsAreInvalid() {
        assertThatThrownBy(() -> PodmanConfig.parse(Map.of("socket", "podman.sock")))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("absolute path");
    }
}

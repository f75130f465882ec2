package dev.petlet.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VolumeDriversConfigTest {
    private final HostDefaults host = new HostDefaults() {
        @Override
        public String hostname() {
            return "pet";
        }

        @Override
        public Optional<String> primaryIPv4() {
            return Optional.of("192.168.1.20");
        }
    };

    private PetletConfig parse(String yaml) throws ConfigException {
        return PetletConfig.parse(yaml, "petlet.yaml", Path.of("/etc/petlet"), host);
    }

    private List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the configuration to be rejected:\n" + yaml);
    }

    @Test
    void noVolumeDriversByDefault() throws ConfigException {
        assertThat(parse("").volumeDrivers()).isEmpty();
    }

    @Test
    void readsEachDriverAndItsSettings() throws ConfigException {
        PetletConfig config = parse("""
                volumeDrivers:
                  - provider: nfs
                    config:
                      mountOptions: nfsvers=4.2,soft
                      mountCommand: /usr/local/bin/mount
                """);

        assertThat(config.volumeDrivers())
                .containsExactly(new VolumeDriverSelection(
                        "nfs", Map.of("mountOptions", "nfsvers=4.2,soft", "mountCommand", "/usr/local/bin/mount")));
    }

    @Test
    void namesWhatIsWrongWithAnEntry() {
        assertThat(problems("volumeDrivers: nfs"))
                .containsExactly("volumeDrivers: must be a list like [{provider: nfs, config: {mountOptions: soft}}]");
        assertThat(problems("volumeDrivers:\n  - config: {}\n"))
                .containsExactly("volumeDrivers[0].provider: must be a volume driver provider name such as nfs");
        assertThat(problems("volumeDrivers:\n  - provider: nfs\n    options: x\n"))
                .containsExactly("volumeDrivers[0].options: unknown key; the keys are provider and config");
        assertThat(problems("volumeDrivers:\n  - provider: nfs\n    config: {mountOptions: [a, b]}\n"))
                .containsExactly("volumeDrivers[0].config.mountOptions: must be a single value, not a list or mapping");
        assertThat(problems("volumeDrivers:\n  - provider: nfs\n  - provider: nfs\n"))
                .containsExactly("volumeDrivers[1].provider: nfs is listed twice; list each driver once");
    }
}

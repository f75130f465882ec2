package dev.petlet.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.core.node.NodeSettings;
import dev.petlet.core.node.NodeTaint;
import dev.petlet.core.node.TaintEffect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PetletConfigTest {
    private static final Path BASE = Path.of("/etc/petlet");

    private final HostDefaults host = new HostDefaults() {
        @Override
        public String hostname() {
            return "Pet-Box";
        }

        @Override
        public Optional<String> primaryIPv4() {
            return Optional.of("192.168.1.20");
        }
    };

    private PetletConfig parse(String yaml) throws ConfigException {
        return PetletConfig.parse(yaml, "petlet.yaml", BASE, host);
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
    void anEmptyFileGivesTheDefaults() throws ConfigException {
        PetletConfig config = parse("");

        assertThat(config.nodeName()).isEqualTo("pet-box");
        assertThat(config.kubeconfig()).isEmpty();
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/petlet"));
        assertThat(config.kubeletPort()).isEqualTo(10250);
        assertThat(config.labels()).isEmpty();
        assertThat(config.taints()).isEmpty();
        assertThat(config.nodeIP()).isEqualTo("192.168.1.20");
        assertThat(config.externalIP()).isEmpty();
        assertThat(config.maxPods()).isEqualTo(110);
        assertThat(config.clusterDNS()).isEmpty();
        assertThat(config.clusterDomain()).isEqualTo("cluster.local");
        assertThat(config.runtime())
                .isEqualTo(new RuntimeSelection("podman", Map.of("socket", "/run/podman/podman.sock")));
        assertThat(config.reserved()).isEmpty();
        assertThat(config.statusUpdateFrequency()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.statusReportFrequency()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void readsEveryKey() throws ConfigException {
        PetletConfig config = parse("""
                nodeName: pet-1
                kubeconfig: kubeconfig
                stateDir: /srv/petlet
                kubeletPort: 11250
                labels:
                  example.com/disk: ssd
                  topology.kubernetes.io/zone: attic
                taints:
                  - dedicated=pets:NoSchedule
                  - maintenance:NoExecute
                  - {key: gpu, value: "yes", effect: PreferNoSchedule}
                nodeIP: 10.0.0.5
                externalIP: 2001:db8::5
                maxPods: 50
                clusterDNS: [10.96.0.10]
                clusterDomain: pets.local
                runtime:
                  provider: podman
                  config:
                    socket: /run/user/1000/podman/podman.sock
                reserved:
                  cpu: 500m
                  memory: 1Gi
                statusUpdateFrequency: 20s
                statusReportFrequency: 1m30s
                """);

        assertThat(config.nodeName()).isEqualTo("pet-1");
        assertThat(config.kubeconfig()).contains(Path.of("/etc/petlet/kubeconfig"));
        assertThat(config.stateDir()).isEqualTo(Path.of("/srv/petlet"));
        assertThat(config.kubeletPort()).isEqualTo(11250);
        assertThat(config.labels())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("example.com/disk", "ssd", "topology.kubernetes.io/zone", "attic"));
        assertThat(config.taints())
                .containsExactly(
                        new NodeTaint("dedicated", "pets", TaintEffect.NO_SCHEDULE),
                        new NodeTaint("maintenance", "", TaintEffect.NO_EXECUTE),
                        new NodeTaint("gpu", "yes", TaintEffect.PREFER_NO_SCHEDULE));
        assertThat(config.nodeIP()).isEqualTo("10.0.0.5");
        assertThat(config.externalIP()).contains("2001:db8::5");
        assertThat(config.maxPods()).isEqualTo(50);
        assertThat(config.clusterDNS()).containsExactly("10.96.0.10");
        assertThat(config.clusterDomain()).isEqualTo("pets.local");
        assertThat(config.runtime().config()).containsEntry("socket", "/run/user/1000/podman/podman.sock");
        assertThat(config.reserved()).containsExactlyInAnyOrderEntriesOf(Map.of("cpu", "500m", "memory", "1Gi"));
        assertThat(config.statusUpdateFrequency()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.statusReportFrequency()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void theUpdateFrequencyAloneSetsTheReportFrequencyToo() throws ConfigException {
        assertThat(parse("statusUpdateFrequency: 30s").statusReportFrequency()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rejectsLabelsNodeRestrictionForbidsWithAdvice() {
        assertThat(problems("labels:\n  node-role.kubernetes.io/worker: \"\"\n"))
                .containsExactly("labels.node-role.kubernetes.io/worker: NodeRestriction forbids nodes to set labels"
                        + " under node-role.kubernetes.io/; set it with kubectl label instead");
        assertThat(problems("labels:\n  node-restriction.kubernetes.io/team: a\n"))
                .singleElement()
                .asString()
                .startsWith("labels.node-restriction.kubernetes.io/team: NodeRestriction forbids");
    }

    @Test
    void rejectsOutOfRangeNumbers() {
        assertThat(problems("maxPods: 0")).containsExactly("maxPods: must be between 1 and 1000, got 0");
        assertThat(problems("kubeletPort: 70000"))
                .containsExactly("kubeletPort: must be between 1 and 65535, got 70000");
        assertThat(problems("maxPods: many"))
                .containsExactly("maxPods: must be a whole number between 1 and 1000, got 'many'");
    }

    @Test
    void rejectsBadDurations() {
        assertThat(problems("statusUpdateFrequency: 10x"))
                .containsExactly("statusUpdateFrequency: '10x' is not a duration like 10s, 5m");
        assertThat(problems("statusUpdateFrequency: 10"))
                .containsExactly("statusUpdateFrequency: '10' is not a duration like 10s, 5m");
        assertThat(problems("statusUpdateFrequency: 0s")).hasSize(1);
        assertThat(problems("statusUpdateFrequency: 1m\nstatusReportFrequency: 30s"))
                .containsExactly(
                        "statusReportFrequency: must not be shorter than statusUpdateFrequency (60s), got 30s");
    }

    @Test
    void rejectsUnknownKeysNamingTheKnownOnes() {
        assertThat(problems("nodename: pet-1")).containsExactly("nodename: unknown key; did you mean nodeName?");
        assertThat(problems("colour: blue"))
                .singleElement()
                .asString()
                .startsWith("colour: unknown key; the keys are nodeName, kubeconfig");
        assertThat(problems("runtime:\n  provder: podman\n"))
                .containsExactly("runtime.provder: unknown key; the keys are provider and config");
    }

    @Test
    void rejectsBadTaints() {
        assertThat(problems("taints: [dedicated=pets]"))
                .containsExactly(
                        "taints[0]: 'dedicated=pets' is not a taint like key=value:NoSchedule or key:NoExecute");
        assertThat(problems("taints: ['dedicated=pets:Never']"))
                .containsExactly("taints[0]: effect must be NoSchedule, PreferNoSchedule or NoExecute, got 'Never'");
        assertThat(problems("taints: [a:NoSchedule, a=b:NoSchedule]"))
                .containsExactly("taints[1]: a taint with key a and effect NoSchedule is listed twice");
        assertThat(problems("taints: dedicated"))
                .containsExactly("taints: must be a list, e.g. [\"dedicated=gpu:NoSchedule\"]");
    }

    @Test
    void rejectsBadNamesAddressesAndLabels() {
        assertThat(problems("nodeName: Pet_1"))
                .singleElement()
                .asString()
                .startsWith("nodeName: 'Pet_1' is not a valid node name");
        assertThat(problems("nodeIP: my-host")).containsExactly("nodeIP: 'my-host' is not an IP address");
        assertThat(problems("clusterDNS: [10.96.0.300]"))
                .containsExactly("clusterDNS[0]: '10.96.0.300' is not an IP address");
        assertThat(problems("labels:\n  version: 1.10\n"))
                .containsExactly("labels.version: must be a string; put the value in quotes");
        assertThat(problems("labels:\n  'bad key!': x\n"))
                .singleElement()
                .asString()
                .startsWith("labels.bad key!: 'bad key!' is not a label key");
        assertThat(problems("reserved:\n  gpu: 1\n"))
                .containsExactly("reserved.gpu: only cpu, memory and ephemeral-storage can be reserved");
        assertThat(problems("reserved:\n  memory: lots\n"))
                .containsExactly("reserved.memory: 'lots' is not a quantity like 500m, 1Gi or 2");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> parse("maxPods: 0\nkubeletPort: 0\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("petlet.yaml has 2 problems:\n"
                        + "  kubeletPort: must be between 1 and 65535, got 0\n"
                        + "  maxPods: must be between 1 and 1000, got 0");
    }

    @Test
    void explainsInvalidYamlWithItsPosition() {
        assertThat(problems("labels:\n  a: [unclosed\n"))
                .singleElement()
                .asString()
                .startsWith("line ");
        assertThat(problems("maxPods: 1\nmaxPods: 2\n"))
                .singleElement()
                .asString()
                .contains("Duplicate field 'maxPods'");
        assertThat(problems("- a\n- b\n"))
                .containsExactly("the configuration must be a YAML mapping of keys such as nodeName: my-node");
    }

    @Test
    void needsANodeIPWhenTheHostHasNone() {
        HostDefaults offline = new HostDefaults() {
            @Override
            public String hostname() {
                return "pet";
            }

            @Override
            public Optional<String> primaryIPv4() {
                return Optional.empty();
            }
        };

        assertThatThrownBy(() -> PetletConfig.parse("", "petlet.yaml", BASE, offline))
                .hasMessage(
                        "petlet.yaml: nodeIP: not set, and this host has no IPv4 address to default to; set nodeIP");
    }

    @Test
    void loadsAFileResolvingPathsAgainstItsDirectory(@TempDir Path directory) throws IOException, ConfigException {
        Path file = directory.resolve("petlet.yaml");
        Files.writeString(file, "kubeconfig: ../node.kubeconfig\n");

        PetletConfig config = PetletConfig.load(file, host);

        assertThat(config.kubeconfig()).contains(directory.getParent().resolve("node.kubeconfig"));
        assertThatThrownBy(() -> PetletConfig.load(directory.resolve("missing.yaml"), host))
                .hasMessageEndingWith("missing.yaml: the configuration file does not exist");
    }

    @Test
    void givesTheNodeItsSettings() throws ConfigException {
        NodeSettings settings =
                parse("nodeName: pet-1\nstatusUpdateFrequency: 20s\n").nodeSettings("v1.33.13", "0.1.0");

        assertThat(settings.nodeName()).isEqualTo("pet-1");
        assertThat(settings.hostname()).isEqualTo("pet-1");
        assertThat(settings.kubeletVersion()).isEqualTo("v1.33.13+petlet.0.1.0");
        assertThat(settings.heartbeats().statusUpdateFrequency()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.heartbeats().leaseDuration()).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void theDocumentedExampleIsValidWithAndWithoutItsCommentedKeys() throws IOException, ConfigException {
        Path example = Path.of("../distribution/src/main/conf/petlet.yaml");
        String text = Files.readString(example);

        PetletConfig asShipped = parse(text);
        String uncommented = Pattern.compile("^# (" + String.join("|", ConfigParser.KEYS) + "): ", Pattern.MULTILINE)
                .matcher(text)
                .replaceAll("$1: ");
        PetletConfig everyKey = parse(uncommented);

        assertThat(asShipped.nodeName()).isEqualTo("pet-box");
        assertThat(everyKey.nodeName()).isEqualTo("my-pet");
        assertThat(everyKey.externalIP()).isPresent();
        assertThat(ConfigParser.KEYS).allSatisfy(key -> assertThat(text).containsPattern("(?m)^(# )?" + key + ":"));
    }

    @Test
    void parsesGoStyleDurations() {
        assertThat(ConfigParser.parseDuration("500ms")).contains(Duration.ofMillis(500));
        assertThat(ConfigParser.parseDuration("1h2m3s")).contains(Duration.ofSeconds(3723));
        assertThat(ConfigParser.parseDuration("1.5s")).contains(Duration.ofMillis(1500));
        assertThat(ConfigParser.parseDuration("10")).isEmpty();
        assertThat(ConfigParser.parseDuration("s10")).isEmpty();
        assertThat(ConfigParser.parseDuration("10s ")).contains(Duration.ofSeconds(10));
    }
}

package dev.petlet.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ImageInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeFactsCollectorTest {
    @TempDir
    Path root;

    @TempDir
    Path stateDirectory;

    private boolean runtimeUp = true;

    private final RuntimeInfo runtime = new RuntimeInfo() {
        @Override
        public String versionString() throws ProviderException {
            if (!runtimeUp) {
                throw new ProviderException(ErrorCode.UNAVAILABLE, "cannot reach /run/podman/podman.sock");
            }
            return "podman://4.3.1";
        }

        @Override
        public List<ImageSummary> images() {
            return List.of(new ImageSummary(List.of("localhost/app:1"), 1234));
        }
    };

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @BeforeEach
    void machine() throws IOException {
        write("sys/devices/system/cpu/online", "0-3,6\n");
        write("proc/meminfo", "MemTotal:       16318008 kB\nMemFree:  100 kB\nMemAvailable:    8000000 kB\n");
        write("etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        write("proc/sys/kernel/random/boot_id", "be9d1292-ba45-42d8-b00b-8c0ed8707c4c\n");
        write("proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
        write("etc/os-release", "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        write("proc/loadavg", "0.50 0.40 0.30 2/812 12345\n");
        write("proc/sys/kernel/pid_max", "4194304\n");
    }

    private NodeFacts collect() {
        return new NodeFactsCollector(runtime, stateDirectory, root, "arm64").collect();
    }

    @Test
    void readsTheMachine() {
        NodeFacts facts = collect();

        assertThat(facts.cpuCount()).isEqualTo(5);
        assertThat(facts.memoryBytes()).isEqualTo(16318008L * 1024);
        assertThat(facts.ephemeralStorageBytes()).isPositive();
        assertThat(facts.machineId()).isEqualTo("3d1219c7c4c5404aaa1f6d2a48adfda4");
        assertThat(facts.bootId()).isEqualTo("be9d1292-ba45-42d8-b00b-8c0ed8707c4c");
        assertThat(facts.kernelVersion()).isEqualTo("6.1.0-18-amd64");
        assertThat(facts.osImage()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(facts.architecture()).isEqualTo("arm64");
        assertThat(facts.containerRuntimeVersion()).isEqualTo("podman://4.3.1");
        assertThat(facts.images()).containsExactly(new ImageSummary(List.of("localhost/app:1"), 1234));
        assertThat(facts.runtimeProblem()).isEmpty();
        assertThat(facts.memoryPressure()).isFalse();
        assertThat(facts.pidPressure()).isFalse();
    }

    @Test
    void theSystemUuidFallsBackToTheMachineIdWhereTheFirmwareHasNone() throws IOException {
        assertThat(collect().systemUuid()).isEqualTo("3d1219c7c4c5404aaa1f6d2a48adfda4");

        write("sys/class/dmi/id/product_uuid", "4C4C4544-0042-4B10-8036-B4C04F4D3232\n");

        assertThat(collect().systemUuid()).isEqualTo("4C4C4544-0042-4B10-8036-B4C04F4D3232");
    }

    @Test
    void reportsPressureAtTheKubeletsThresholds() throws IOException {
        write("proc/meminfo", "MemTotal: 16318008 kB\nMemAvailable: 102399 kB\n");
        write("proc/loadavg", "0.50 0.40 0.30 2/3800000 12345\n");

        NodeFacts facts = collect();

        assertThat(facts.memoryPressure()).isTrue();
        assertThat(facts.pidPressure()).isTrue();
    }

    @Test
    void aRuntimeThatCannotBeReachedIsAProblemAndKeepsTheLastVersion() {
        NodeFactsCollector collector = new NodeFactsCollector(runtime, stateDirectory, root, "amd64");
        collector.collect();
        runtimeUp = false;

        NodeFacts facts = collector.collect();

        assertThat(facts.runtimeProblem()).contains("container runtime is down: cannot reach /run/podman/podman.sock");
        assertThat(facts.containerRuntimeVersion()).isEqualTo("podman://4.3.1");
        assertThat(facts.images()).isEmpty();
    }

    @Test
    void missingFilesGiveEmptyValuesNotFailures() throws IOException {
        Path empty = Files.createDirectories(root.resolve("empty"));

        NodeFacts facts = new NodeFactsCollector(runtime, stateDirectory.resolve("not/yet"), empty, "amd64").collect();

        assertThat(facts.machineId()).isEmpty();
        assertThat(facts.osImage()).isEqualTo("Linux");
        assertThat(facts.cpuCount()).isPositive();
        assertThat(facts.ephemeralStorageBytes())
                .as("measured on the parent that exists")
                .isPositive();
    }

    @Test
    void countsCpuLists() {
        assertThat(NodeFactsCollector.countCpuList("0")).contains(1);
        assertThat(NodeFactsCollector.countCpuList("0-7")).contains(8);
        assertThat(NodeFactsCollector.countCpuList("0-3,8-11,15")).contains(9);
        assertThat(NodeFactsCollector.countCpuList("garbage")).isEqualTo(Optional.empty());
    }

    @Test
    void spellsArchitecturesAsGoDoes() {
        assertThat(NodeFactsCollector.goArchitecture("amd64")).isEqualTo("amd64");
        assertThat(NodeFactsCollector.goArchitecture("x86_64")).isEqualTo("amd64");
        assertThat(NodeFactsCollector.goArchitecture("aarch64")).isEqualTo("arm64");
        assertThat(NodeFactsCollector.goArchitecture("ppc64le")).isEqualTo("ppc64le");
    }

    @Test
    void listsImageDigestsBeforeTags() {
        ImageInfo image =
                new ImageInfo("sha256:abc", List.of("localhost/app:1"), List.of("localhost/app@sha256:def"), 99);

        assertThat(ContainerRuntimeInfo.summary(image))
                .isEqualTo(new ImageSummary(List.of("localhost/app@sha256:def", "localhost/app:1"), 99));
    }
}

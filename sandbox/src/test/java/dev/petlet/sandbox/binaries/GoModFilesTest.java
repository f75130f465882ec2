package dev.petlet.sandbox.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoModFilesTest {
    @Test
    void kubernetesGoModRequiresTheReleaseAndPinsEveryStagingModule() {
        String goMod = GoModFiles.kubernetes("v1.32.5");

        assertThat(goMod)
                .contains("module petlet.dev/sandbox/kubernetes\n")
                .contains("\ngo 1.24.0\n")
                .contains("\nrequire k8s.io/kubernetes v1.32.5\n")
                .contains("\tk8s.io/api => k8s.io/api v0.32.5\n")
                .contains("\tk8s.io/kube-scheduler => k8s.io/kube-scheduler v0.32.5\n")
                .contains("\tk8s.io/sample-controller => k8s.io/sample-controller v0.32.5\n")
                .doesNotContain("v0.33.");
        assertThat(goMod.lines().filter(line -> line.contains(" => "))).hasSize(31);
        assertThat(GoModFiles.requiredVersion(goMod, "k8s.io/kubernetes")).contains("v1.32.5");
    }

    @Test
    void generatedKubernetesGoModMatchesTheCheckedInOne() throws Exception {
        // The checked-in module is what the project builds and tests with; generated ones must pin alike.
        // Only the replace lines are compared: go build -mod=mod may add indirect requirements.
        Path checkedIn = Path.of("go/kubernetes/go.mod");
        String expected = Files.readString(checkedIn);
        String generated = GoModFiles.kubernetes(
                GoModFiles.requiredVersion(expected, "k8s.io/kubernetes").orElseThrow());

        assertThat(replaceLines(generated)).isEqualTo(replaceLines(expected));
    }

    @Test
    void etcdGoModRequiresTheServerModule() {
        String goMod = GoModFiles.etcd("v3.5.16");

        assertThat(goMod)
                .contains("module petlet.dev/sandbox/etcd\n")
                .contains("\nrequire go.etcd.io/etcd/server/v3 v3.5.16\n");
        assertThat(GoModFiles.requiredVersion(goMod, "go.etcd.io/etcd/server/v3"))
                .contains("v3.5.16");
    }

    @Test
    void requiredVersionIsReadFromRequireBlocks() {
        String goMod = """
                module example.com/m

                go 1.24.0

                require (
                	github.com/other/module v1.0.0 // indirect
                	k8s.io/kubernetes v1.31.2
                )

                require k8s.io/api v0.31.2 // indirect
                """;

        assertThat(GoModFiles.requiredVersion(goMod, "k8s.io/kubernetes")).contains("v1.31.2");
        assertThat(GoModFiles.requiredVersion(goMod, "k8s.io/api")).contains("v0.31.2");
        assertThat(GoModFiles.requiredVersion(goMod, "k8s.io/client-go")).isEmpty();
    }

    @Test
    void replaceLinesAndCommentsAreNotRequirements() {
        String goMod = """
                module example.com/m
                // require k8s.io/kubernetes v1.0.0
                replace k8s.io/kubernetes v1.30.0 => ../kubernetes
                replace (
                	k8s.io/kubernetes v1.31.0 => ../kubernetes
                )
                """;

        assertThat(GoModFiles.requiredVersion(goMod, "k8s.io/kubernetes")).isEmpty();
    }

    private static List<String> replaceLines(String goMod) {
        return goMod.lines()
                .map(String::strip)
                .filter(line -> line.contains(" => "))
                .sorted()
                .toList();
    }
}

package dev.petlet.sandbox.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsServerBinaryTest {
    @TempDir
    Path temporary;

    private final FakeCommandRunner runner = new FakeCommandRunner();
    private final List<String> progress = new ArrayList<>();

    private ResolverOptions options(String path) {
        return new ResolverOptions(
                "v1.33.13",
                Optional.empty(),
                path,
                temporary.resolve("cache"),
                URI.create("https://releases.example/release"),
                URI.create("https://etcd.example/download/"),
                Optional.empty(),
                "amd64");
    }

    private MetricsServerBinary binary(ResolverOptions options, Path go) {
        return new MetricsServerBinary(options, progress::add, runner, List.of(go));
    }

    private static Path executable(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void theCacheNextToTheControlPlaneWins() throws Exception {
        Path cached = executable(temporary.resolve("cache/v1.33.13/metrics-server"));
        assertThat(binary(options(""), temporary.resolve("no-go")).resolve()).contains(cached);
        assertThat(runner.commands()).isEmpty();
    }

    @Test
    void buildsThePinnedReleaseWithGoIntoTheCache() throws Exception {
        Path go = executable(temporary.resolve("go/bin/go"));

        Optional<Path> built = binary(options(""), go).resolve();

        assertThat(built).contains(temporary.resolve("cache/v1.33.13/metrics-server"));
        assertThat(built.get()).isExecutable();
        assertThat(runner.goBuilds())
                .singleElement()
                .satisfies(command ->
                        assertThat(command.arguments()).contains("sigs.k8s.io/metrics-server/cmd/metrics-server"));
        assertThat(Files.readString(temporary.resolve("cache/.metrics-server-module/go.mod")))
                .contains("require sigs.k8s.io/metrics-server v0.8.0");
    }

    @Test
    void withoutGoItRunsWithoutMetricsServerAndSaysSo() {
        assertThat(binary(options(""), temporary.resolve("no-go")).resolve()).isEmpty();
        assertThat(progress).singleElement().asString().contains("kubectl top will not work");
    }

    @Test
    void aFailedBuildIsNotFatal() throws Exception {
        Path go = executable(temporary.resolve("go/bin/go"));
        runner.failGoBuildWith("proxy.golang.org: no such host");
        assertThat(binary(options(""), go).resolve()).isEmpty();
        assertThat(progress).last().asString().contains("could not build metrics-server");
        assertThat(temporary.resolve("cache/v1.33.13/metrics-server")).doesNotExist();
    }
}

package dev.petlet.sandbox.binaries;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order of resolution and each source's decisions, with fake processes and a fake network. */
class BinaryResolverTest {
    private static final String VERSION = "v1.33.13";
    private static final URI KUBERNETES_RELEASES = URI.create("https://releases.example/release");
    private static final URI ETCD_RELEASES = URI.create("https://etcd.example/download/");
    private static final List<String> ALL =
            List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

    @TempDir
    Path temporary;

    private Path searchPath;
    private Path cacheRoot;
    private final FakeCommandRunner runner = new FakeCommandRunner();
    private final FakeHttpFetcher fetcher = new FakeHttpFetcher();
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void createDirectories() throws IOException {
        searchPath = Files.createDirectories(temporary.resolve("path"));
        cacheRoot = temporary.resolve("cache");
    }

    @Test
    void binDirWinsOverPathAndCache() throws Exception {
        Path binDir = directoryWith("bin", ALL);
        executables(searchPath, ALL);
        executables(cacheRoot.resolve(VERSION), ALL);

        BinarySet binaries = resolver(options().withBinDir(binDir)).resolve();

        assertThat(binaries).isEqualTo(BinarySet.inDirectory(VERSION, binDir, "bin-dir"));
        assertThat(binaries.kubeApiserver()).isEqualTo(binDir.resolve("kube-apiserver"));
        assertThat(runner.commands()).isEmpty();
        assertThat(progress).containsExactly("using the control-plane binaries in --bin-dir " + binDir);
    }

    @Test
    void binDirLackingBinariesIsAnErrorNamingThemWithoutFallingBack() throws Exception {
        Path binDir = directoryWith("bin", List.of("etcd", "kube-apiserver"));
        executables(cacheRoot.resolve(VERSION), ALL);

        assertThatThrownBy(() -> resolver(options().withBinDir(binDir)).resolve())
                .isInstanceOf(BinaryResolutionException.class)
                .hasMessageStartingWith("--bin-dir " + binDir + " lacks kube-controller-manager and kube-scheduler;");
        assertThat(resolver(options().withBinDir(binDir)).findExisting()).isEmpty();
        assertThat(fetcher.requests()).isEmpty();
    }

    @Test
    void binDirWithoutExecutePermissionIsAnError() throws Exception {
        Path binDir = directoryWith("bin", ALL);
        Files.setPosixFilePermissions(binDir.resolve("etcd"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> resolver(options().withBinDir(binDir)).resolve())
                .hasMessage("etcd in --bin-dir " + binDir + " is not executable; run chmod +x on it.");
    }

    @Test
    void binDirThatIsNoDirectoryIsAnError() {
        Path binDir = temporary.resolve("absent");

        assertThatThrownBy(() -> resolver(options().withBinDir(binDir)).resolve())
                .hasMessageStartingWith("--bin-dir " + binDir + " is not a directory;");
    }

    @Test
    void pathIsUsedWhenItsApiserverIsTheRequestedVersion() throws Exception {
        executables(searchPath, ALL);
        executables(cacheRoot.resolve(VERSION), ALL);

        BinarySet binaries = resolver(options()).resolve();

        assertThat(binaries).isEqualTo(BinarySet.inDirectory(VERSION, searchPath, "PATH"));
        assertThat(runner.commands())
                .singleElement()
                .satisfies(command -> assertThat(command.arguments())
                        .containsExactly(searchPath.resolve("kube-apiserver").toString(), "--version"));
        assertThat(progress).contains("using kube-apiserver from PATH (" + searchPath.resolve("kube-apiserver") + ")");
    }

    @Test
    void binariesAreTakenFromTheFirstPathEntryThatHasThem() throws Exception {
        Path first = directoryWith("first", List.of("kube-scheduler"));
        Path second = directoryWith("second", ALL);
        ResolverOptions options = options(first + ":" + temporary.resolve("missing") + "::" + second);

        BinarySet binaries = resolver(options).resolve();

        assertThat(binaries.kubeScheduler()).isEqualTo(first.resolve("kube-scheduler"));
        assertThat(binaries.etcd()).isEqualTo(second.resolve("etcd"));
    }

    @Test
    void pathWithAnotherVersionIsSkippedForTheCache() throws Exception {
        executables(searchPath, ALL);
        Path cached = executables(cacheRoot.resolve(VERSION), ALL);
        runner.reportApiserverVersion("Kubernetes v1.32.0\n");

        BinarySet binaries = resolver(options()).resolve();

        assertThat(binaries).isEqualTo(BinarySet.inDirectory(VERSION, cached, "cache"));
        assertThat(progress)
                .containsExactly(
                        "not using the binaries on PATH: " + searchPath.resolve("kube-apiserver")
                                + " is Kubernetes v1.32.0, not the requested v1.33.13",
                        "using the Kubernetes v1.33.13 binaries cached in " + cached);
    }

    @Test
    void pathWhoseApiserverPrintsNoVersionIsSkipped() throws Exception {
        executables(searchPath, ALL);
        executables(cacheRoot.resolve(VERSION), ALL);
        runner.reportApiserverVersion("flag provided but not defined: -version\n");

        assertThat(resolver(options()).resolve().source()).isEqualTo("cache");
        assertThat(progress.getFirst()).contains("printed no 'Kubernetes vX.Y.Z'");
    }

    @Test
    void incompletePathIsSkippedWithoutRunningAnything() throws Exception {
        executables(searchPath, List.of("kube-apiserver"));
        executables(cacheRoot.resolve(VERSION), ALL);

        assertThat(resolver(options()).resolve().source()).isEqualTo("cache");
        assertThat(runner.commands()).isEmpty();
        assertThat(progress.getFirst())
                .isEqualTo("not using the binaries on PATH: found kube-apiserver but not etcd,"
                        + " kube-controller-manager and kube-scheduler");
    }

    @Test
    void cacheIsUsedWithoutTheNetwork() throws Exception {
        Path cached = executables(cacheRoot.resolve(VERSION), ALL);

        assertThat(resolver(options()).resolve()).isEqualTo(BinarySet.inDirectory(VERSION, cached, "cache"));
        assertThat(fetcher.requests()).isEmpty();
    }

    @Test
    void incompleteCacheIsDownloadedAgain() throws Exception {
        executables(cacheRoot.resolve(VERSION), List.of("etcd", "kube-apiserver", "kube-scheduler"));
        publishRelease(VERSION);

        BinarySet binaries = resolver(options()).resolve();

        assertThat(binaries.source()).isEqualTo("download");
        assertThat(resolver(options()).findExisting())
                .contains(BinarySet.inDirectory(VERSION, cacheRoot.resolve(VERSION), "cache"));
    }

    @Test
    void downloadChecksAllChecksumsFirstAndFillsTheCache() throws Exception {
        publishRelease(VERSION);

        BinarySet binaries = resolver(options()).resolve();

        Path cached = cacheRoot.resolve(VERSION);
        assertThat(binaries).isEqualTo(BinarySet.inDirectory(VERSION, cached, "download"));
        assertThat(fetcher.requests())
                .extracting(URI::toString)
                .containsExactly(
                        "https://releases.example/release/v1.33.13/bin/linux/amd64/kube-apiserver.sha256",
                        "https://releases.example/release/v1.33.13/bin/linux/amd64/kube-controller-manager.sha256",
                        "https://releases.example/release/v1.33.13/bin/linux/amd64/kube-scheduler.sha256",
                        "https://etcd.example/download/v3.5.21/SHA256SUMS",
                        "https://releases.example/release/v1.33.13/bin/linux/amd64/kube-apiserver",
                        "https://releases.example/release/v1.33.13/bin/linux/amd64/kube-controller-manager",
                        "https://releases.example/release/v1.33.13/bin/linux/amd64/kube-scheduler",
                        "https://etcd.example/download/v3.5.21/etcd-v3.5.21-linux-amd64.tar.gz");
        assertThat(Files.readString(cached.resolve("kube-scheduler"))).isEqualTo("kube-scheduler " + VERSION);
        for (String name : ALL) {
            assertThat(Files.isExecutable(cached.resolve(name))).as(name).isTrue();
        }
        assertThat(runner.commands())
                .singleElement()
                .satisfies(command -> assertThat(command.arguments())
                        .startsWith("tar", "-xzf")
                        .endsWith("etcd-v3.5.21-linux-amd64/etcd"));
        assertThat(entries(cacheRoot)).containsExactly(VERSION);
        assertThat(progress)
                .contains("downloading kube-apiserver v1.33.13 from"
                        + " https://releases.example/release/v1.33.13/bin/linux/amd64/kube-apiserver")
                .contains("downloading etcd v3.5.21 from"
                        + " https://etcd.example/download/v3.5.21/etcd-v3.5.21-linux-amd64.tar.gz");
    }

    @Test
    void checksumMismatchIsRefusedWithoutFallingBackAndLeavesNothingBehind() throws Exception {
        publishRelease(VERSION);
        String wrongDigest = "0".repeat(64);
        fetcher.publish(
                kubernetesUri(VERSION, "kube-scheduler.sha256"), (wrongDigest + "  kube-scheduler\n").getBytes(UTF_8));
        executables(searchPath, List.of("go"));

        assertThatThrownBy(() -> resolver(options()).resolve())
                .isInstanceOf(BinaryResolutionException.class)
                .hasMessage("Refusing kube-scheduler downloaded from " + kubernetesUri(VERSION, "kube-scheduler")
                        + ": its SHA-256 checksum " + Checksums.sha256(write("expected", "kube-scheduler " + VERSION))
                        + " does not match the published checksum " + wrongDigest + ", so the download is corrupt or"
                        + " was tampered with; try again later, or pass --bin-dir DIR with binaries you trust.");
        assertThat(runner.goBuilds()).isEmpty();
        assertThat(entries(cacheRoot)).isEmpty();
    }

    @Test
    void etcdChecksumMismatchIsRefusedToo() throws Exception {
        publishRelease(VERSION);
        fetcher.publish(
                etcdUri("v3.5.21", "SHA256SUMS"),
                ("1".repeat(64) + "  etcd-v3.5.21-linux-amd64.tar.gz\n").getBytes(UTF_8));

        assertThatThrownBy(() -> resolver(options()).resolve())
                .hasMessageContaining("etcd-v3.5.21-linux-amd64.tar.gz")
                .hasMessageContaining("checksum");
        assertThat(entries(cacheRoot)).isEmpty();
    }

    @Test
    void checksumFileWithoutADigestCountsAsUnavailable() throws Exception {
        publishRelease(VERSION);
        fetcher.publish(kubernetesUri(VERSION, "kube-apiserver.sha256"), "<html>log in</html>".getBytes(UTF_8));

        assertThatThrownBy(() -> resolver(options()).resolve())
                .hasMessageContaining("the download failed (" + kubernetesUri(VERSION, "kube-apiserver.sha256")
                        + " holds no SHA-256 digest)");
    }

    @Test
    void unavailableReleaseFallsThroughToAGoBuildFromGeneratedModules() throws Exception {
        Path go = executables(searchPath, List.of("go")).resolve("go");

        BinarySet binaries = resolver(options()).resolve();

        assertThat(binaries).isEqualTo(BinarySet.inDirectory(VERSION, cacheRoot.resolve(VERSION), "go build"));
        assertThat(runner.commands().getFirst().arguments()).containsExactly(go.toString(), "version");
        List<CommandRunner.Command> builds = runner.goBuilds();
        assertThat(builds).hasSize(2);
        CommandRunner.Command etcdBuild = builds.get(0);
        assertThat(etcdBuild.arguments()).startsWith(go.toString(), "build").endsWith("go.etcd.io/etcd/server/v3");
        assertThat(etcdBuild.arguments().get(etcdBuild.arguments().indexOf("-o") + 1))
                .endsWith("/bin/etcd");
        CommandRunner.Command kubernetesBuild = builds.get(1);
        assertThat(kubernetesBuild.arguments())
                .startsWith(go.toString(), "build")
                .contains("-ldflags=" + GoBuild.versionLinkerFlags(VERSION))
                .endsWith(
                        "k8s.io/kubernetes/cmd/kube-apiserver",
                        "k8s.io/kubernetes/cmd/kube-controller-manager",
                        "k8s.io/kubernetes/cmd/kube-scheduler");
        for (CommandRunner.Command build : builds) {
            assertThat(build.environment()).containsEntry("GOFLAGS", "-mod=mod");
            assertThat(build.outputFile()).contains(cacheRoot.resolve("v1.33.13.build.log"));
            Path module = build.workingDirectory().orElseThrow();
            assertThat(module.getParent().getParent().getFileName().toString()).startsWith(".tmp-");
            assertThat(module.getParent().getParent().getParent()).isEqualTo(cacheRoot);
        }
        assertThat(kubernetesBuild.workingDirectory().orElseThrow().getFileName())
                .hasToString("kubernetes");
        assertThat(entries(cacheRoot)).containsExactlyInAnyOrder(VERSION, "v1.33.13.build.log");
        assertThat(Files.readString(cacheRoot.resolve("v1.33.13.build.log")))
                .contains("GOFLAGS=-mod=mod " + go + " build");
        assertThat(progress)
                .contains("could not download the Kubernetes v1.33.13 release (HTTP 404 for "
                        + kubernetesUri(VERSION, "kube-apiserver.sha256") + "); trying a Go build")
                .contains("building Kubernetes v1.33.13 from Go modules (first time takes many minutes)...");
    }

    @Test
    void goModulesThatPinTheVersionAreBuiltInPlace() throws Exception {
        executables(searchPath, List.of("go"));
        Path modules = goModules(VERSION, "v3.5.21");

        resolver(options().withGoModules(modules)).resolve();

        assertThat(runner.goBuilds())
                .extracting(build -> build.workingDirectory().orElseThrow())
                .containsExactly(modules.resolve("etcd"), modules.resolve("kubernetes"));
    }

    @Test
    void goModulesThatPinAnotherVersionAreLeftAlone() throws Exception {
        executables(searchPath, List.of("go"));
        Path modules = goModules(VERSION, "v3.5.21");

        resolver(options("v1.32.5", searchPath.toString()).withGoModules(modules))
                .resolve();

        assertThat(runner.goBuilds())
                .extracting(build -> build.workingDirectory().orElseThrow())
                .allSatisfy(module -> assertThat(module.startsWith(modules))
                        .as(module.toString())
                        .isFalse());
        assertThat(Files.readString(modules.resolve("kubernetes/go.mod"))).contains("k8s.io/kubernetes v1.33.13");
        assertThat(progress)
                .contains(modules.resolve("kubernetes/go.mod") + " pins k8s.io/kubernetes v1.33.13, not v1.32.5;"
                        + " building from a generated go.mod instead");
    }

    @Test
    void goFoundOutsidePathIsUsed() throws Exception {
        Path go = executables(temporary.resolve("usr-local-go-bin"), List.of("go"))
                .resolve("go");
        BinaryResolver resolver = new BinaryResolver(
                options(), progress::add, runner, fetcher, List.of(temporary.resolve("absent/go"), go));

        assertThat(resolver.resolve().source()).isEqualTo("go build");
        assertThat(runner.goBuilds())
                .allSatisfy(build -> assertThat(build.program()).isEqualTo(go.toString()));
    }

    @Test
    void failedGoBuildShowsTheEndOfItsLogAndCachesNothing() throws Exception {
        executables(searchPath, List.of("go"));
        runner.failGoBuildWith("go: downloading go.etcd.io/etcd/server/v3 v3.5.21\n"
                + "go: go.etcd.io/etcd/server/v3@v3.5.21: dial tcp: lookup proxy.golang.org: no such host\n");

        assertThatThrownBy(() -> resolver(options()).resolve())
                .isInstanceOf(BinaryResolutionException.class)
                .hasMessageStartingWith("Building etcd v3.5.21 with " + searchPath.resolve("go")
                        + " failed (exit code 1); fix the cause at the end of "
                        + cacheRoot.resolve("v1.33.13.build.log"))
                .hasMessageEndingWith("lookup proxy.golang.org: no such host");
        assertThat(entries(cacheRoot)).containsExactly("v1.33.13.build.log");
    }

    @Test
    void tooOldGoIsNotRun() throws Exception {
        executables(searchPath, List.of("go"));
        runner.reportGoVersion("go version go1.19.8 linux/amd64\n");

        assertThatThrownBy(() -> resolver(options()).resolve())
                .hasMessageContaining(searchPath.resolve("go") + " is go1.19, too old to build Kubernetes;")
                .hasMessageContaining("install Go 1.24 or newer");
        assertThat(runner.goBuilds()).isEmpty();
    }

    @Test
    void withNothingToUseTheErrorNamesEveryRemedy() {
        assertThatThrownBy(() -> resolver(options()).resolve())
                .isInstanceOf(BinaryResolutionException.class)
                .hasMessage("Could not get the Kubernetes v1.33.13 control-plane binaries: none usable on PATH or in "
                        + cacheRoot.resolve(VERSION) + ", the download failed (HTTP 404 for "
                        + kubernetesUri(VERSION, "kube-apiserver.sha256") + ") and no go command is on PATH or at"
                        + " /usr/local/go/bin/go; pass --bin-dir DIR with etcd, kube-apiserver, kube-controller-manager"
                        + " and kube-scheduler, put them on PATH, or install Go 1.24 or newer from https://go.dev/dl"
                        + " (the distribution's golang package is usually too old) so petlet can build them.");
        assertThat(progress)
                .containsExactly("could not download the Kubernetes v1.33.13 release (HTTP 404 for "
                        + kubernetesUri(VERSION, "kube-apiserver.sha256") + ")");
    }

    @Test
    void findExistingNeverDownloadsOrBuilds() throws Exception {
        publishRelease(VERSION);
        executables(searchPath, List.of("go"));

        assertThat(resolver(options()).findExisting()).isEmpty();
        assertThat(fetcher.requests()).isEmpty();
        assertThat(runner.commands()).isEmpty();
        assertThat(Files.exists(cacheRoot)).isFalse();
    }

    @Test
    void findExistingLooksOnPathAndInTheCache() throws Exception {
        Path cached = executables(cacheRoot.resolve(VERSION), ALL);
        assertThat(resolver(options()).findExisting()).contains(BinarySet.inDirectory(VERSION, cached, "cache"));

        executables(searchPath, ALL);
        assertThat(resolver(options()).findExisting().orElseThrow().source()).isEqualTo("PATH");
    }

    @Test
    void kubeApiserverVersionOutputIsParsed() {
        assertThat(BinaryResolver.parseReportedVersion("Kubernetes v1.33.13\n")).contains("v1.33.13");
        assertThat(BinaryResolver.parseReportedVersion("Kubernetes v0.0.0-master+$Format:%H$"))
                .contains("v0.0.0-master+$Format:%H$");
        assertThat(BinaryResolver.parseReportedVersion("Usage: kube-apiserver [flags]"))
                .isEmpty();
    }

    @Test
    void linkerFlagsSetTheVersionTheWayReleaseBuildsDo() {
        assertThat(GoBuild.versionLinkerFlags("v1.32.5"))
                .contains("-X k8s.io/component-base/version.gitVersion=v1.32.5")
                .contains("-X k8s.io/component-base/version.gitMajor=1")
                .contains("-X k8s.io/component-base/version.gitMinor=32")
                .contains("-X k8s.io/client-go/pkg/version.gitVersion=v1.32.5");
    }

    @Test
    void binaryNamesReadAsASentence() {
        assertThat(ControlPlaneBinary.names(List.of(ControlPlaneBinary.KUBE_SCHEDULER)))
                .isEqualTo("kube-scheduler");
        assertThat(ControlPlaneBinary.names(List.of(ControlPlaneBinary.KUBE_SCHEDULER, ControlPlaneBinary.ETCD)))
                .isEqualTo("etcd and kube-scheduler");
        assertThat(ControlPlaneBinary.names(List.of(ControlPlaneBinary.values())))
                .isEqualTo("etcd, kube-apiserver, kube-controller-manager and kube-scheduler");
    }

    @Test
    void releaseUrlsJoinWithOrWithoutATrailingSlash() {
        assertThat(ReleaseDownload.join(URI.create("https://dl.k8s.io/release/"), "v1.33.13", "bin"))
                .hasToString("https://dl.k8s.io/release/v1.33.13/bin");
        assertThat(ReleaseDownload.join(URI.create("https://dl.k8s.io/release"), "v1.33.13"))
                .hasToString("https://dl.k8s.io/release/v1.33.13");
    }

    private BinaryResolver resolver(ResolverOptions options) {
        return new BinaryResolver(options, progress::add, runner, fetcher, List.of());
    }

    private ResolverOptions options() {
        return options(VERSION, searchPath.toString());
    }

    private ResolverOptions options(String path) {
        return options(VERSION, path);
    }

    private ResolverOptions options(String version, String path) {
        return new ResolverOptions(
                version,
                Optional.empty(),
                path,
                cacheRoot,
                KUBERNETES_RELEASES,
                ETCD_RELEASES,
                Optional.empty(),
                "amd64");
    }

    private void publishRelease(String version) throws IOException {
        for (String name : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
            byte[] content = (name + " " + version).getBytes(UTF_8);
            fetcher.publish(kubernetesUri(version, name), content);
            fetcher.publish(
                    kubernetesUri(version, name + ".sha256"),
                    Checksums.sha256(write(name, content)).getBytes(UTF_8));
        }
        String etcdVersion = KubernetesVersions.etcdFor(version);
        String tarball = "etcd-" + etcdVersion + "-linux-amd64.tar.gz";
        byte[] content = "not really gzip: the fake tar does not look".getBytes(UTF_8);
        fetcher.publish(etcdUri(etcdVersion, tarball), content);
        fetcher.publish(
                etcdUri(etcdVersion, "SHA256SUMS"),
                (Checksums.sha256(write(tarball, content)) + "  " + tarball + "\n").getBytes(UTF_8));
    }

    private static URI kubernetesUri(String version, String fileName) {
        return URI.create(KUBERNETES_RELEASES + "/" + version + "/bin/linux/amd64/" + fileName);
    }

    private static URI etcdUri(String etcdVersion, String fileName) {
        return URI.create(ETCD_RELEASES + etcdVersion + "/" + fileName);
    }

    private Path goModules(String kubernetesVersion, String etcdVersion) throws IOException {
        Path modules = temporary.resolve("go");
        Files.createDirectories(modules.resolve("kubernetes"));
        Files.createDirectories(modules.resolve("etcd"));
        Files.writeString(modules.resolve("kubernetes/go.mod"), GoModFiles.kubernetes(kubernetesVersion));
        Files.writeString(modules.resolve("etcd/go.mod"), GoModFiles.etcd(etcdVersion));
        return modules;
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(UTF_8));
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = Files.createDirectories(temporary.resolve("published")).resolve(name);
        return Files.write(file, content);
    }

    private Path directoryWith(String name, List<String> binaries) throws IOException {
        return executables(temporary.resolve(name), binaries);
    }

    private static Path executables(Path directory, List<String> names) throws IOException {
        Files.createDirectories(directory);
        for (String name : names) {
            Path file = Files.writeString(directory.resolve(name), "#!/bin/sh\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return directory;
    }

    private static List<String> entries(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).toList();
        }
    }
}

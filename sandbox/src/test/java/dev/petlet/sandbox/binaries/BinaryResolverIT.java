package dev.petlet.sandbox.binaries;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver with real processes, real files and real HTTP: a release served from 127.0.0.1 with
 * shell scripts for binaries, an etcd tarball made with tar, and a shell script standing in for go.
 */
class BinaryResolverIT {
    private static final String VERSION = "v1.33.99";
    private static final String ETCD_VERSION = "v3.5.21";
    private static final String ETCD_TARBALL = "etcd-v3.5.21-linux-amd64.tar.gz";
    private static final List<String> KUBERNETES_BINARIES =
            List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler");

    @TempDir
    Path temporary;

    private FakeReleaseServer release;
    private Path cacheRoot;
    private Path emptyPath;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        release = FakeReleaseServer.start();
        cacheRoot = temporary.resolve("cache");
        emptyPath = Files.createDirectories(temporary.resolve("empty-path"));
    }

    @AfterEach
    void stop() {
        release.close();
    }

    @Test
    void downloadFillsTheCacheAndTheNextRunMakesNoRequest() throws Exception {
        publishRelease(VERSION);

        BinarySet downloaded = new BinaryResolver(options(emptyPath.toString()), progress::add).resolve();

        Path cached = cacheRoot.resolve(VERSION);
        assertThat(downloaded).isEqualTo(BinarySet.inDirectory(VERSION, cached, "download"));
        assertThat(run(downloaded.kubeApiserver(), "--version")).isEqualTo("Kubernetes " + VERSION + "\n");
        assertThat(run(downloaded.kubeScheduler(), "--version")).isEqualTo("Kubernetes " + VERSION + "\n");
        assertThat(run(downloaded.etcd(), "--version")).isEqualTo("etcd Version: 3.5.21\n");
        assertThat(entries(cached))
                .containsExactlyInAnyOrder("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
        assertThat(entries(cacheRoot)).containsExactly(VERSION);
        assertThat(release.requests()).hasSize(8);

        List<String> secondProgress = new ArrayList<>();
        BinarySet again = new BinaryResolver(options(emptyPath.toString()), secondProgress::add).resolve();

        assertThat(again).isEqualTo(BinarySet.inDirectory(VERSION, cached, "cache"));
        assertThat(release.requests()).hasSize(8);
        assertThat(secondProgress).containsExactly("using the Kubernetes v1.33.99 binaries cached in " + cached);
    }

    @Test
    void checksumMismatchIsRefusedAndNothingIsCached() throws Exception {
        publishRelease(VERSION);
        release.publish(
                kubernetesPath(VERSION, "kube-controller-manager.sha256"),
                "ab".repeat(32).getBytes(UTF_8));
        Path fakeGo = fakeGo();

        assertThatThrownBy(() -> new BinaryResolver(options(fakeGo.getParent().toString()), progress::add).resolve())
                .isInstanceOf(BinaryResolutionException.class)
                .hasMessageContaining("kube-controller-manager")
                .hasMessageContaining("checksum")
                .hasMessageContaining("ab".repeat(32))
                .hasMessageContaining(release.uri(kubernetesPath(VERSION, "kube-controller-manager"))
                        .toString());
        assertThat(entries(cacheRoot)).isEmpty();
        assertThat(Files.exists(calls())).as("go was not run").isFalse();
    }

    @Test
    void missingReleaseFallsThroughToAGoBuild() throws Exception {
        Path fakeGo = fakeGo();

        BinarySet built = new BinaryResolver(options(fakeGo.getParent().toString()), progress::add).resolve();

        Path cached = cacheRoot.resolve(VERSION);
        assertThat(built).isEqualTo(BinarySet.inDirectory(VERSION, cached, "go build"));
        assertThat(run(built.kubeControllerManager()))
                .isEqualTo("built k8s.io/kubernetes/cmd/kube-controller-manager\n");
        assertThat(run(built.etcd())).isEqualTo("built go.etcd.io/etcd/server/v3\n");
        List<String> calls = Files.readAllLines(calls());
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).endsWith("|version");
        assertThat(calls.get(1))
                .contains("/work/etcd|GOFLAGS=-mod=mod|build -buildvcs=false -o ")
                .endsWith("/bin/etcd go.etcd.io/etcd/server/v3");
        assertThat(calls.get(2))
                .contains("/work/kubernetes|GOFLAGS=-mod=mod|build -buildvcs=false -ldflags=-X"
                        + " k8s.io/component-base/version.gitVersion=v1.33.99")
                .endsWith(" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager"
                        + " k8s.io/kubernetes/cmd/kube-scheduler");
        assertThat(Files.readString(temporary.resolve("go-calls/kubernetes.go.mod")))
                .contains("require k8s.io/kubernetes v1.33.99\n")
                .contains("\tk8s.io/client-go => k8s.io/client-go v0.33.99\n");
        assertThat(Files.readString(temporary.resolve("go-calls/etcd.go.mod")))
                .contains("require go.etcd.io/etcd/server/v3 v3.5.21\n");
        assertThat(Files.readString(cacheRoot.resolve("v1.33.99.build.log"))).contains("fake go build done");
        assertThat(entries(cacheRoot)).containsExactlyInAnyOrder(VERSION, "v1.33.99.build.log");
        assertThat(progress)
                .contains("could not download the Kubernetes v1.33.99 release (HTTP 404 for "
                        + release.uri(kubernetesPath(VERSION, "kube-apiserver.sha256")) + "); trying a Go build");
    }

    @Test
    void unreachableServerWithoutGoGivesEveryRemedy() throws Exception {
        release.close();
        BinaryResolver resolver = new BinaryResolver(
                options(emptyPath.toString()),
                progress::add,
                new ProcessCommandRunner(),
                new JdkHttpFetcher(),
                List.of());

        assertThatThrownBy(resolver::resolve)
                .isInstanceOf(BinaryResolutionException.class)
                .hasMessageContaining("the download failed (cannot connect to 127.0.0.1")
                .hasMessageContaining("no go command is on PATH")
                .hasMessageContaining("pass --bin-dir DIR")
                .hasMessageContaining("install Go 1.24 or newer");
    }

    @Test
    void pathWithTheRequestedVersionIsUsed() throws Exception {
        Path onPath = scripts("on-path", VERSION);

        BinarySet binaries = new BinaryResolver(options(emptyPath + ":" + onPath), progress::add).resolve();

        assertThat(binaries).isEqualTo(BinarySet.inDirectory(VERSION, onPath, "PATH"));
        assertThat(release.requests()).isEmpty();
        assertThat(progress).contains("using kube-apiserver from PATH (" + onPath.resolve("kube-apiserver") + ")");
    }

    @Test
    void pathWithAnotherVersionIsSkipped() throws Exception {
        Path onPath = scripts("on-path", "v1.32.0");
        publishRelease(VERSION);

        BinarySet binaries = new BinaryResolver(options(onPath.toString()), progress::add).resolve();

        assertThat(binaries.source()).isEqualTo("download");
        assertThat(progress.getFirst())
                .isEqualTo("not using the binaries on PATH: " + onPath.resolve("kube-apiserver")
                        + " is Kubernetes v1.32.0, not the requested v1.33.99");
    }

    @Test
    void binDirMissingABinaryIsAnErrorNamingIt() throws Exception {
        Path binDir = scripts("bin", VERSION);
        Files.delete(binDir.resolve("kube-scheduler"));

        assertThatThrownBy(() ->
                        new BinaryResolver(options(emptyPath.toString()).withBinDir(binDir), progress::add).resolve())
                .isInstanceOf(BinaryResolutionException.class)
                .hasMessageContaining("kube-scheduler")
                .hasMessageContaining(binDir.toString());
        assertThat(release.requests()).isEmpty();
    }

    private ResolverOptions options(String path) {
        return new ResolverOptions(
                VERSION,
                Optional.empty(),
                path,
                cacheRoot,
                release.uri("/release"),
                release.uri("/etcd/"),
                Optional.empty(),
                "amd64");
    }

    private void publishRelease(String version) throws Exception {
        for (String name : KUBERNETES_BINARIES) {
            byte[] script = ("#!/bin/sh\necho \"Kubernetes " + version + "\"\n").getBytes(UTF_8);
            release.publish(kubernetesPath(version, name), script);
            // dl.k8s.io publishes the digest alone; some mirrors add the file name.
            String checksum = sha256(script) + (name.equals("kube-scheduler") ? "  kube-scheduler\n" : "");
            release.publish(kubernetesPath(version, name + ".sha256"), checksum.getBytes(UTF_8));
        }
        Path unpacked = Files.createDirectories(temporary.resolve("etcd-release/etcd-v3.5.21-linux-amd64"));
        writeScript(unpacked.resolve("etcd"), "#!/bin/sh\necho \"etcd Version: 3.5.21\"\n");
        writeScript(unpacked.resolve("etcdctl"), "#!/bin/sh\n");
        Files.writeString(unpacked.resolve("README.md"), "etcd\n");
        Path tarball = temporary.resolve(ETCD_TARBALL);
        assertThat(run(
                        Path.of("tar"),
                        "-czf",
                        tarball.toString(),
                        "-C",
                        unpacked.getParent().toString(),
                        unpacked.getFileName().toString()))
                .isEmpty();
        byte[] tarballContent = Files.readAllBytes(tarball);
        release.publish("/etcd/" + ETCD_VERSION + "/" + ETCD_TARBALL, tarballContent);
        String sums = "1".repeat(64) + "  etcd-v3.5.21-darwin-arm64.zip\n"
                + sha256(tarballContent) + "  " + ETCD_TARBALL + "\n"
                + "2".repeat(64) + "  etcd-v3.5.21-linux-arm64.tar.gz\n";
        release.publish("/etcd/" + ETCD_VERSION + "/SHA256SUMS", sums.getBytes(UTF_8));
    }

    private static String kubernetesPath(String version, String fileName) {
        return "/release/" + version + "/bin/linux/amd64/" + fileName;
    }

    /** A go that records each call (directory, GOFLAGS, arguments) and its go.mod, and writes placeholder binaries. */
    private Path fakeGo() throws IOException {
        Path records = Files.createDirectories(temporary.resolve("go-calls"));
        Path go = Files.createDirectories(temporary.resolve("go-bin")).resolve("go");
        writeScript(go, """
                #!/bin/sh
                echo "$PWD|GOFLAGS=$GOFLAGS|$*" >> %1$s/calls
                if [ "$1" = version ]; then echo "go version go1.24.4 linux/amd64"; exit 0; fi
                [ -f go.mod ] && cp go.mod "%1$s/${PWD##*/}.go.mod"
                while [ $# -gt 0 ]; do
                  if [ "$1" = -o ]; then out="$2"; shift 2; break; fi
                  shift
                done
                case "$out" in
                  */) for package in "$@"; do printf '#!/bin/sh\\necho "built %%s"\\n' "$package" > "$out${package##*/}"; done ;;
                  *) printf '#!/bin/sh\\necho "built %%s"\\n' "$1" > "$out" ;;
                esac
                echo "fake go build done"
                """.formatted(records));
        return go;
    }

    private Path calls() {
        return temporary.resolve("go-calls/calls");
    }

    private Path scripts(String directoryName, String reportedVersion) throws IOException {
        Path directory = Files.createDirectories(temporary.resolve(directoryName));
        writeScript(directory.resolve("etcd"), "#!/bin/sh\n");
        for (String name : KUBERNETES_BINARIES) {
            writeScript(directory.resolve(name), "#!/bin/sh\necho \"Kubernetes " + reportedVersion + "\"\n");
        }
        return directory;
    }

    private static void writeScript(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static String run(Path program, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
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

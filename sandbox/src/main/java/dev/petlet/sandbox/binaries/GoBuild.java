package dev.petlet.sandbox.binaries;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the control plane from Go modules with a local Go toolchain: the route that works where
 * the Go module proxy is reachable but the release sites are not.
 */
final class GoBuild {
    /** Where the official Go tarball installs, which is often not on PATH. */
    static final Path USUAL_GO_LOCATION = Path.of("/usr/local/go/bin/go");

    static final List<String> KUBERNETES_PACKAGES = List.of(
            "k8s.io/kubernetes/cmd/kube-apiserver",
            "k8s.io/kubernetes/cmd/kube-controller-manager",
            "k8s.io/kubernetes/cmd/kube-scheduler");
    static final String ETCD_PACKAGE = GoModFiles.ETCD_MODULE;

    // Go 1.21 and newer fetch the toolchain a go.mod asks for by themselves; older ones cannot build
    // Kubernetes at all.
    private static final int OLDEST_USABLE_GO_MINOR = 21;
    private static final Pattern GO_VERSION = Pattern.compile("go1\\.(\\d+)");
    private static final Duration VERSION_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration BUILD_TIMEOUT = Duration.ofHours(2);
    private static final int LOG_TAIL_LINES = 25;

    private final ResolverOptions options;
    private final CommandRunner runner;
    private final List<Path> fallbackGoLocations;
    private final Consumer<String> progress;

    GoBuild(ResolverOptions options, CommandRunner runner, List<Path> fallbackGoLocations, Consumer<String> progress) {
        this.options = requireNonNull(options, "options");
        this.runner = requireNonNull(runner, "runner");
        this.fallbackGoLocations = List.copyOf(fallbackGoLocations);
        this.progress = requireNonNull(progress, "progress");
    }

    /** The {@code go} on the options' PATH, else the first of the fallback locations that exists. */
    Optional<Path> findGo() {
        return ExecutableSearch.find("go", options.path())
                .or(() -> fallbackGoLocations.stream()
                        .filter(ExecutableSearch::isExecutableFile)
                        .findFirst());
    }

    /** Why {@code go} cannot build Kubernetes, or empty if, as far as its version tells, it can. */
    Optional<String> unusableReason(Path go) throws InterruptedException {
        CommandRunner.Result result;
        try {
            result = runner.run(CommandRunner.Command.of(VERSION_TIMEOUT, List.of(go.toString(), "version")));
        } catch (IOException e) {
            return Optional.of("could not run " + go + " (" + e.getMessage() + ")");
        }
        if (!result.succeeded()) {
            return Optional.of("'" + go + " version' exited with " + result.exitCode());
        }
        Matcher version = GO_VERSION.matcher(result.output());
        if (version.find() && Integer.parseInt(version.group(1)) < OLDEST_USABLE_GO_MINOR) {
            return Optional.of(go + " is " + version.group() + ", too old to build Kubernetes");
        }
        return Optional.empty();
    }

    /** Where the output of the last build of this version goes. */
    Path logFile() {
        return options.cacheRoot().resolve(options.kubernetesVersion() + ".build.log");
    }

    /** Builds the four binaries into {@code target}, generating go.mod files under {@code work} if needed. */
    void buildInto(Path go, Path work, Path target)
            throws BinaryResolutionException, InterruptedException, IOException {
        String version = options.kubernetesVersion();
        String etcdVersion = KubernetesVersions.etcdFor(version);
        Path log = logFile();
        Files.createDirectories(log.getParent());
        Files.writeString(log, "");

        Path etcdModule =
                moduleDirectory("etcd", GoModFiles.ETCD_MODULE, etcdVersion, GoModFiles.etcd(etcdVersion), work);
        progress.accept("building etcd " + etcdVersion + " from Go modules with " + go + " (output in " + log + ")");
        List<String> etcdArguments = List.of(
                "build",
                "-buildvcs=false",
                "-o",
                target.resolve(ControlPlaneBinary.ETCD.fileName()).toString(),
                ETCD_PACKAGE);
        run(go, etcdModule, etcdArguments, "etcd " + etcdVersion, log);

        Path kubernetesModule = moduleDirectory(
                "kubernetes", GoModFiles.KUBERNETES_MODULE, version, GoModFiles.kubernetes(version), work);
        progress.accept("building Kubernetes " + version + " from Go modules (first time takes many minutes)...");
        List<String> kubernetesArguments = new ArrayList<>(
                List.of("build", "-buildvcs=false", "-ldflags=" + versionLinkerFlags(version), "-o", target + "/"));
        kubernetesArguments.addAll(KUBERNETES_PACKAGES);
        run(go, kubernetesModule, kubernetesArguments, "Kubernetes " + version, log);

        for (ControlPlaneBinary binary : ControlPlaneBinary.values()) {
            if (!Files.isRegularFile(target.resolve(binary.fileName()))) {
                throw new BinaryResolutionException(go + " build finished without producing " + binary.fileName()
                        + "; see " + log + " for what it did, or pass --bin-dir DIR with the binaries.");
            }
        }
    }

    /**
     * Module builds of Kubernetes report version v0.0.0-master unless the linker sets it the way the
     * release build does; the sandbox compares versions, and so do kubectl and the node.
     */
    static String versionLinkerFlags(String version) {
        String major = "1";
        String minor = Integer.toString(KubernetesVersions.minor(version));
        List<String> flags = new ArrayList<>();
        for (String versionPackage : List.of("k8s.io/component-base/version", "k8s.io/client-go/pkg/version")) {
            flags.add("-X " + versionPackage + ".gitVersion=" + version);
            flags.add("-X " + versionPackage + ".gitMajor=" + major);
            flags.add("-X " + versionPackage + ".gitMinor=" + minor);
            flags.add("-X " + versionPackage + ".gitTreeState=clean");
        }
        return String.join(" ", flags);
    }

    /**
     * The checked-in module directory when it pins {@code wantedVersion} of {@code modulePath};
     * otherwise a directory under {@code work} with a generated go.mod, so the checkout stays as it is.
     */
    private Path moduleDirectory(String name, String modulePath, String wantedVersion, String generatedGoMod, Path work)
            throws IOException {
        if (options.goModules().isPresent()) {
            Path directory = options.goModules().get().resolve(name);
            Path goMod = directory.resolve("go.mod");
            Optional<String> pinned = Files.isRegularFile(goMod)
                    ? GoModFiles.requiredVersion(Files.readString(goMod), modulePath)
                    : Optional.empty();
            if (pinned.filter(wantedVersion::equals).isPresent()) {
                return directory;
            }
            String found = pinned.map(version -> "pins " + modulePath + " " + version + ", not " + wantedVersion)
                    .orElse("does not require " + modulePath);
            progress.accept(goMod + " " + found + "; building from a generated go.mod instead");
        }
        Path directory = Files.createDirectories(work.resolve(name));
        Files.writeString(directory.resolve("go.mod"), generatedGoMod);
        return directory;
    }

    private void run(Path go, Path module, List<String> arguments, String what, Path log)
            throws BinaryResolutionException, InterruptedException, IOException {
        List<String> command = new ArrayList<>();
        command.add(go.toString());
        command.addAll(arguments);
        Files.writeString(
                log,
                "$ cd " + module + " && GOFLAGS=-mod=mod " + String.join(" ", command) + "\n",
                StandardOpenOption.APPEND);
        CommandRunner.Result result;
        try {
            // -mod=mod lets go add the go.sum lines a generated go.mod lacks.
            result = runner.run(CommandRunner.Command.of(BUILD_TIMEOUT, command)
                    .in(module)
                    .withEnvironment("GOFLAGS", "-mod=mod")
                    .appendingOutputTo(log));
        } catch (IOException e) {
            throw new BinaryResolutionException(
                    "Could not build " + what + " with " + go + " (" + e.getMessage() + "); see " + log
                            + ", or pass --bin-dir DIR with the binaries.",
                    e);
        }
        if (!result.succeeded()) {
            throw new BinaryResolutionException("Building " + what + " with " + go + " failed (exit code "
                    + result.exitCode() + "); fix the cause at the end of " + log
                    + " (often network access to the Go module proxy) and run again, or pass --bin-dir DIR with"
                    + " the binaries. The log ends with:\n" + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                .lines()
                .toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }
}

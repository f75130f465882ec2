package dev.petlet.sandbox.binaries;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds or builds metrics-server, the add-on behind {@code kubectl top}: {@code --bin-dir}, else PATH, else the
 * cache next to the control plane's binaries ({@code cacheRoot/<kubernetesVersion>/metrics-server}), else a Go
 * build of the pinned module ({@code sandbox/go/metrics-server}, or a generated go.mod). metrics-server publishes
 * no release binaries, so there is no download. The control plane runs without it: {@link #find()} and {@link
 * #resolve()} return empty, with the reason given to the progress consumer, rather than fail.
 */
public final class MetricsServerBinary {
    /** The metrics-server release the sandbox runs: v0.8 supports Kubernetes 1.31 and newer. */
    public static final String VERSION = "v0.8.0";

    static final String FILE_NAME = "metrics-server";
    static final String MODULE = "sigs.k8s.io/metrics-server";
    static final String PACKAGE = MODULE + "/cmd/metrics-server";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);

    private final ResolverOptions options;
    private final Consumer<String> progress;
    private final CommandRunner runner;
    private final List<Path> fallbackGoLocations;

    public MetricsServerBinary(ResolverOptions options, Consumer<String> progress) {
        this(options, progress, new ProcessCommandRunner(), List.of(GoBuild.USUAL_GO_LOCATION));
    }

    MetricsServerBinary(
            ResolverOptions options, Consumer<String> progress, CommandRunner runner, List<Path> fallbackGoLocations) {
        this.options = requireNonNull(options, "options");
        this.progress = requireNonNull(progress, "progress");
        this.runner = requireNonNull(runner, "runner");
        this.fallbackGoLocations = List.copyOf(fallbackGoLocations);
    }

    /** Where a build is cached. */
    Path cached() {
        return options.cacheRoot().resolve(options.kubernetesVersion()).resolve(FILE_NAME);
    }

    /** Only looks: {@code --bin-dir}, PATH, the cache. */
    public Optional<Path> find() {
        if (options.binDir().isPresent()) {
            Path inBinDir = options.binDir().get().resolve(FILE_NAME);
            return ExecutableSearch.isExecutableFile(inBinDir) ? Optional.of(inBinDir) : Optional.empty();
        }
        return ExecutableSearch.find(FILE_NAME, options.path())
                .or(() -> ExecutableSearch.isExecutableFile(cached()) ? Optional.of(cached()) : Optional.empty());
    }

    /** Finds metrics-server, building it with Go into the cache when no source has it; empty if that fails. */
    public Optional<Path> resolve() {
        Optional<Path> found = find();
        if (found.isPresent() || options.binDir().isPresent()) {
            if (found.isEmpty()) {
                progress.accept("no metrics-server in --bin-dir "
                        + options.binDir().get() + ": running without it (kubectl top will not work)");
            }
            return found;
        }
        GoBuild goBuild = new GoBuild(options, runner, fallbackGoLocations, progress);
        Optional<Path> go = goBuild.findGo();
        if (go.isEmpty()) {
            progress.accept("no metrics-server on PATH or in " + cached().getParent() + " and no go to build it:"
                    + " running without it (kubectl top will not work)");
            return Optional.empty();
        }
        try {
            return Optional.of(build(go.get()));
        } catch (IOException e) {
            progress.accept("could not build metrics-server " + VERSION + " (" + e.getMessage()
                    + "): running without it (kubectl top will not work)");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Path build(Path go) throws IOException, InterruptedException {
        Path target = cached();
        Files.createDirectories(target.getParent());
        Path log = options.cacheRoot().resolve("metrics-server-" + VERSION + ".build.log");
        Path module = moduleDirectory();
        Path staged = Files.createTempFile(target.getParent(), ".tmp-metrics-server", "");
        progress.accept("building metrics-server " + VERSION + " from Go modules (output in " + log + ")");
        try {
            CommandRunner.Result result = runner.run(CommandRunner.Command.of(
                            BUILD_TIMEOUT,
                            List.of(
                                    go.toString(),
                                    "build",
                                    "-buildvcs=false",
                                    // Its --version reads component-base's; its own Makefile also sets pkg/version's.
                                    "-ldflags=-X k8s.io/component-base/version.gitVersion=" + VERSION + " -X " + MODULE
                                            + "/pkg/version.gitVersion=" + VERSION,
                                    "-o",
                                    staged.toString(),
                                    PACKAGE))
                    .in(module)
                    .withEnvironment("GOFLAGS", "-mod=mod")
                    .appendingOutputTo(log));
            if (!result.succeeded()) {
                throw new IOException("go build exited with " + result.exitCode() + "; see " + log);
            }
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            progress.accept("cached metrics-server " + VERSION + " in " + target);
            return target;
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /** The checked-in module when it pins {@link #VERSION}, else a generated one in the cache. */
    private Path moduleDirectory() throws IOException {
        if (options.goModules().isPresent()) {
            Path directory = options.goModules().get().resolve(FILE_NAME);
            Path goMod = directory.resolve("go.mod");
            if (Files.isRegularFile(goMod)
                    && GoModFiles.requiredVersion(Files.readString(goMod), MODULE)
                            .filter(VERSION::equals)
                            .isPresent()) {
                return directory;
            }
        }
        Path directory = Files.createDirectories(options.cacheRoot().resolve(".metrics-server-module"));
        Files.writeString(
                directory.resolve("go.mod"),
                "// Generated by petlet to build metrics-server " + VERSION + ".\n"
                        + "module petlet.dev/sandbox/metrics-server\n\ngo 1.24.4\n\nrequire " + MODULE + " " + VERSION
                        + "\n");
        return directory;
    }
}

package dev.petlet.sandbox.binaries;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds or obtains the control-plane binaries of one Kubernetes version. The first source that has
 * them wins: the {@code --bin-dir} directory (and nothing else, when it is given), PATH (if its
 * kube-apiserver is the wanted version), the cache, the official release downloads, a local Go build.
 *
 * <p>Reports each step as one human-readable line to the progress consumer. Downloads and builds are
 * cached under {@link ResolverOptions#cacheRoot()}, so only the first run of a version is slow. Not
 * thread-safe; separate resolvers, even in separate processes, may share a cache.
 */
public final class BinaryResolver {
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern REPORTED_VERSION = Pattern.compile("Kubernetes (v\\S+)");
    private static final String ALL_FOUR = "etcd, kube-apiserver, kube-controller-manager and kube-scheduler";

    private final ResolverOptions options;
    private final Consumer<String> progress;
    private final CommandRunner runner;
    private final BinaryCache cache;
    private final ReleaseDownload download;
    private final GoBuild goBuild;

    public BinaryResolver(ResolverOptions options, Consumer<String> progress) {
        this(options, progress, new ProcessCommandRunner(), new JdkHttpFetcher(), List.of(GoBuild.USUAL_GO_LOCATION));
    }

    BinaryResolver(
            ResolverOptions options,
            Consumer<String> progress,
            CommandRunner runner,
            HttpFetcher fetcher,
            List<Path> fallbackGoLocations) {
        this.options = requireNonNull(options, "options");
        this.progress = requireNonNull(progress, "progress");
        this.runner = requireNonNull(runner, "runner");
        this.cache = new BinaryCache(options.cacheRoot(), options.kubernetesVersion());
        this.download = new ReleaseDownload(options, fetcher, runner, progress);
        this.goBuild = new GoBuild(options, runner, fallbackGoLocations, progress);
    }

    /**
     * Returns the binaries, downloading or building them into the cache if no local source has them.
     *
     * @throws BinaryResolutionException when the {@code --bin-dir} directory lacks binaries, a download
     *     does not match its published checksum, a Go build fails, or no source is left to try
     */
    public BinarySet resolve() throws BinaryResolutionException {
        if (options.binDir().isPresent()) {
            return fromBinDir(options.binDir().get());
        }
        try {
            Optional<BinarySet> existing = onPath().or(this::inCache);
            if (existing.isPresent()) {
                return existing.get();
            }
            return downloadOrBuild();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryResolutionException(
                    "Interrupted while getting the Kubernetes " + options.kubernetesVersion()
                            + " control-plane binaries; nothing was added to the cache, so run again to retry.",
                    e);
        } catch (IOException e) {
            throw new BinaryResolutionException(
                    "Could not write to the binary cache " + options.cacheRoot() + " (" + e.getMessage()
                            + "); check that it is writable and that the disk has room.",
                    e);
        }
    }

    /**
     * Only looks (the {@code --bin-dir} directory, else PATH and the cache), never downloads or builds.
     * Empty when a {@code --bin-dir} directory is given but incomplete; {@link #resolve()} says why.
     */
    public Optional<BinarySet> findExisting() {
        if (options.binDir().isPresent()) {
            Path directory = options.binDir().get();
            return notExecutableIn(directory).isEmpty()
                    ? Optional.of(
                            BinarySet.inDirectory(options.kubernetesVersion(), directory, BinarySet.SOURCE_BIN_DIR))
                    : Optional.empty();
        }
        try {
            return onPath().or(this::inCache);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private BinarySet fromBinDir(Path directory) throws BinaryResolutionException {
        if (!Files.isDirectory(directory)) {
            throw new BinaryResolutionException("--bin-dir " + directory + " is not a directory; point it at one that"
                    + " holds " + ALL_FOUR + ".");
        }
        List<ControlPlaneBinary> missing = missingFrom(directory);
        if (!missing.isEmpty()) {
            throw new BinaryResolutionException("--bin-dir " + directory + " lacks " + ControlPlaneBinary.names(missing)
                    + "; put all four of " + ALL_FOUR + " there, or leave out --bin-dir to let petlet find or"
                    + " fetch them.");
        }
        List<ControlPlaneBinary> notExecutable = notExecutableIn(directory);
        if (!notExecutable.isEmpty()) {
            throw new BinaryResolutionException(ControlPlaneBinary.names(notExecutable) + " in --bin-dir " + directory
                    + (notExecutable.size() == 1 ? " is" : " are") + " not executable; run chmod +x on "
                    + (notExecutable.size() == 1 ? "it." : "them."));
        }
        progress.accept("using the control-plane binaries in --bin-dir " + directory);
        return BinarySet.inDirectory(options.kubernetesVersion(), directory, BinarySet.SOURCE_BIN_DIR);
    }

    private static List<ControlPlaneBinary> missingFrom(Path directory) {
        return binariesFailing(directory, Files::isRegularFile);
    }

    private static List<ControlPlaneBinary> notExecutableIn(Path directory) {
        return binariesFailing(directory, ExecutableSearch::isExecutableFile);
    }

    private static List<ControlPlaneBinary> binariesFailing(Path directory, Predicate<Path> check) {
        return Arrays.stream(ControlPlaneBinary.values())
                .filter(binary -> !check.test(directory.resolve(binary.fileName())))
                .toList();
    }

    private Optional<BinarySet> onPath() throws InterruptedException {
        Map<ControlPlaneBinary, Path> found = new EnumMap<>(ControlPlaneBinary.class);
        List<ControlPlaneBinary> missing = new ArrayList<>();
        for (ControlPlaneBinary binary : ControlPlaneBinary.values()) {
            ExecutableSearch.find(binary.fileName(), options.path())
                    .ifPresentOrElse(path -> found.put(binary, path), () -> missing.add(binary));
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (!missing.isEmpty()) {
            progress.accept("not using the binaries on PATH: found " + ControlPlaneBinary.names(found.keySet())
                    + " but not " + ControlPlaneBinary.names(missing));
            return Optional.empty();
        }
        Path apiserver = found.get(ControlPlaneBinary.KUBE_APISERVER);
        Optional<String> reported = reportedVersion(apiserver);
        if (reported.isEmpty()) {
            return Optional.empty();
        }
        if (!reported.get().equals(options.kubernetesVersion())) {
            progress.accept("not using the binaries on PATH: " + apiserver + " is Kubernetes " + reported.get()
                    + ", not the requested " + options.kubernetesVersion());
            return Optional.empty();
        }
        found.forEach((binary, path) -> progress.accept("using " + binary.fileName() + " from PATH (" + path + ")"));
        return Optional.of(BinarySet.of(options.kubernetesVersion(), found, BinarySet.SOURCE_PATH));
    }

    private Optional<String> reportedVersion(Path apiserver) throws InterruptedException {
        String command = apiserver + " --version";
        CommandRunner.Result result;
        try {
            result = runner.run(CommandRunner.Command.of(VERSION_TIMEOUT, List.of(apiserver.toString(), "--version")));
        } catch (IOException e) {
            progress.accept("not using the binaries on PATH: '" + command + "' failed (" + e.getMessage() + ")");
            return Optional.empty();
        }
        Optional<String> version = result.succeeded() ? parseReportedVersion(result.output()) : Optional.empty();
        if (version.isEmpty()) {
            progress.accept("not using the binaries on PATH: '" + command + "' exited with " + result.exitCode()
                    + " and printed no 'Kubernetes vX.Y.Z'");
        }
        return version;
    }

    /** The version in kube-apiserver's {@code --version} output ("Kubernetes v1.33.13"). */
    static Optional<String> parseReportedVersion(String output) {
        Matcher matcher = REPORTED_VERSION.matcher(output);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private Optional<BinarySet> inCache() {
        Optional<BinarySet> cached = cache.find();
        cached.ifPresent(binaries -> progress.accept("using the Kubernetes " + options.kubernetesVersion()
                + " binaries cached in " + cache.versionDirectory()));
        return cached;
    }

    private BinarySet downloadOrBuild() throws BinaryResolutionException, InterruptedException, IOException {
        String version = options.kubernetesVersion();
        String downloadFailure;
        try (BinaryCache.Staging staging = cache.stage()) {
            download.downloadInto(staging.work(), staging.binaries());
            BinarySet binaries = cache.install(staging.binaries(), BinarySet.SOURCE_DOWNLOAD);
            progress.accept("cached the Kubernetes " + version + " binaries in " + cache.versionDirectory());
            return binaries;
        } catch (ReleaseUnavailableException e) {
            downloadFailure = e.getMessage();
        }

        Optional<Path> go = goBuild.findGo();
        if (go.isEmpty()) {
            progress.accept("could not download the Kubernetes " + version + " release (" + downloadFailure + ")");
            throw nothingWorked(downloadFailure, "no go command is on PATH or at " + GoBuild.USUAL_GO_LOCATION);
        }
        progress.accept("could not download the Kubernetes " + version + " release (" + downloadFailure
                + "); trying a Go build");
        Optional<String> unusable = goBuild.unusableReason(go.get());
        if (unusable.isPresent()) {
            throw nothingWorked(downloadFailure, unusable.get());
        }
        try (BinaryCache.Staging staging = cache.stage()) {
            goBuild.buildInto(go.get(), staging.work(), staging.binaries());
            BinarySet binaries = cache.install(staging.binaries(), BinarySet.SOURCE_GO_BUILD);
            progress.accept("cached the Kubernetes " + version + " binaries in " + cache.versionDirectory());
            return binaries;
        }
    }

    private BinaryResolutionException nothingWorked(String downloadFailure, String goProblem) {
        return new BinaryResolutionException("Could not get the Kubernetes " + options.kubernetesVersion()
                + " control-plane binaries: none usable on PATH or in " + cache.versionDirectory()
                + ", the download failed (" + downloadFailure + ") and " + goProblem + "; pass --bin-dir DIR with "
                + ALL_FOUR + ", put them on PATH, or install Go 1.24 or newer from https://go.dev/dl (the"
                + " distribution's golang package is usually too old) so petlet can build them.");
    }
}

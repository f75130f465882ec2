package dev.petlet.sandbox.binaries;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Downloads the official Kubernetes and etcd release binaries and checks each against the
 * checksum its project publishes.
 */
final class ReleaseDownload {
    private static final Duration TAR_TIMEOUT = Duration.ofMinutes(5);

    private final ResolverOptions options;
    private final HttpFetcher fetcher;
    private final CommandRunner runner;
    private final Consumer<String> progress;

    ReleaseDownload(ResolverOptions options, HttpFetcher fetcher, CommandRunner runner, Consumer<String> progress) {
        this.options = requireNonNull(options, "options");
        this.fetcher = requireNonNull(fetcher, "fetcher");
        this.runner = requireNonNull(runner, "runner");
        this.progress = requireNonNull(progress, "progress");
    }

    /**
     * Puts the four verified binaries into {@code target}, using {@code work} for everything else.
     *
     * @throws ReleaseUnavailableException when a file cannot be fetched or a checksum file is unusable
     * @throws BinaryResolutionException when a file does not match its published checksum, or the
     *     etcd archive cannot be unpacked
     */
    void downloadInto(Path work, Path target)
            throws ReleaseUnavailableException, BinaryResolutionException, InterruptedException, IOException {
        String version = options.kubernetesVersion();
        String etcdVersion = KubernetesVersions.etcdFor(version);
        String etcdRelease = "etcd-" + etcdVersion + "-linux-" + options.arch();
        String tarball = etcdRelease + ".tar.gz";

        // The checksum files first: they are small, so an unreachable or incomplete release is
        // noticed before a hundred megabytes are transferred.
        Map<ControlPlaneBinary, String> expectedDigests = new EnumMap<>(ControlPlaneBinary.class);
        for (ControlPlaneBinary binary : ControlPlaneBinary.KUBERNETES) {
            URI checksumUri = kubernetesUri(binary.fileName() + ".sha256");
            String digest = Checksums.parseSingle(fetchText(checksumUri, work))
                    .orElseThrow(() -> new ReleaseUnavailableException(checksumUri + " holds no SHA-256 digest"));
            expectedDigests.put(binary, digest);
        }
        URI etcdChecksumsUri = etcdUri(etcdVersion, "SHA256SUMS");
        String tarballDigest = Checksums.find(fetchText(etcdChecksumsUri, work), tarball)
                .orElseThrow(
                        () -> new ReleaseUnavailableException(etcdChecksumsUri + " lists no checksum for " + tarball));

        for (ControlPlaneBinary binary : ControlPlaneBinary.KUBERNETES) {
            URI uri = kubernetesUri(binary.fileName());
            progress.accept("downloading " + binary.fileName() + " " + version + " from " + uri);
            Path downloaded = work.resolve(binary.fileName());
            fetcher.download(uri, downloaded);
            verify(downloaded, binary.fileName(), uri, expectedDigests.get(binary));
            Files.move(downloaded, target.resolve(binary.fileName()), StandardCopyOption.ATOMIC_MOVE);
        }

        URI tarballUri = etcdUri(etcdVersion, tarball);
        progress.accept("downloading etcd " + etcdVersion + " from " + tarballUri);
        Path downloadedTarball = work.resolve(tarball);
        fetcher.download(tarballUri, downloadedTarball);
        verify(downloadedTarball, tarball, tarballUri, tarballDigest);
        Path etcd = extract(downloadedTarball, etcdRelease + "/etcd", work.resolve("etcd-unpacked"), tarballUri);
        Files.move(etcd, target.resolve(ControlPlaneBinary.ETCD.fileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    private String fetchText(URI uri, Path work) throws ReleaseUnavailableException, InterruptedException, IOException {
        Path file = work.resolve(Path.of(uri.getPath()).getFileName().toString());
        fetcher.download(uri, file);
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static void verify(Path file, String name, URI uri, String expectedDigest)
            throws BinaryResolutionException, IOException {
        String actualDigest = Checksums.sha256(file);
        if (!actualDigest.equals(expectedDigest)) {
            Files.deleteIfExists(file);
            throw new BinaryResolutionException("Refusing " + name + " downloaded from " + uri
                    + ": its SHA-256 checksum " + actualDigest + " does not match the published checksum "
                    + expectedDigest + ", so the download is corrupt or was tampered with; try again later, or pass"
                    + " --bin-dir DIR with binaries you trust.");
        }
    }

    private Path extract(Path tarball, String member, Path directory, URI uri)
            throws BinaryResolutionException, InterruptedException, IOException {
        Files.createDirectories(directory);
        List<String> command = List.of("tar", "-xzf", tarball.toString(), "-C", directory.toString(), member);
        CommandRunner.Result result;
        try {
            result = runner.run(CommandRunner.Command.of(TAR_TIMEOUT, command));
        } catch (IOException e) {
            throw new BinaryResolutionException(
                    "Could not run tar to unpack etcd from " + uri + " (" + e.getMessage() + "); install tar.", e);
        }
        Path etcd = directory.resolve(member);
        if (!result.succeeded() || !Files.isRegularFile(etcd)) {
            throw new BinaryResolutionException("Could not unpack " + member + " from " + uri + " (tar exited with "
                    + result.exitCode() + ": " + result.output().strip() + "); pass --bin-dir DIR with an etcd"
                    + " binary instead.");
        }
        return etcd;
    }

    private URI kubernetesUri(String fileName) {
        return join(
                options.kubernetesReleaseUrl(), options.kubernetesVersion(), "bin", "linux", options.arch(), fileName);
    }

    private URI etcdUri(String etcdVersion, String fileName) {
        return join(options.etcdReleaseUrl(), etcdVersion, fileName);
    }

    static URI join(URI base, String... segments) {
        StringBuilder uri = new StringBuilder(base.toString().replaceAll("/+$", ""));
        for (String segment : segments) {
            uri.append('/').append(segment);
        }
        return URI.create(uri.toString());
    }
}

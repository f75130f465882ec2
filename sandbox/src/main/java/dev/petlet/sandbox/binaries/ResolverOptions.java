package dev.petlet.sandbox.binaries;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where {@link BinaryResolver} looks for the control-plane binaries and where it gets them from.
 *
 * @param kubernetesVersion the version to run, such as {@link KubernetesVersions#DEFAULT}; checked
 *     to have the form {@code v1.MINOR.PATCH}
 * @param binDir a directory the user named that must hold all four binaries; no other source is
 *     tried when it is given
 * @param path the search path for binaries and for {@code go}, in PATH syntax
 * @param cacheRoot the cache; the binaries of a version live in {@code cacheRoot/<version>/}
 * @param kubernetesReleaseUrl base of {@code <version>/bin/linux/<arch>/<name>} and its {@code .sha256}
 * @param etcdReleaseUrl base of {@code <etcdVersion>/etcd-<etcdVersion>-linux-<arch>.tar.gz} and
 *     {@code <etcdVersion>/SHA256SUMS}
 * @param goModules a directory holding {@code kubernetes/go.mod} and {@code etcd/go.mod} to build
 *     with when they pin the wanted versions; otherwise go.mod files are generated in a scratch
 *     directory
 * @param arch the release architecture: {@code amd64} or {@code arm64}
 */
public record ResolverOptions(
        String kubernetesVersion,
        Optional<Path> binDir,
        String path,
        Path cacheRoot,
        URI kubernetesReleaseUrl,
        URI etcdReleaseUrl,
        Optional<Path> goModules,
        String arch) {
    public static final URI KUBERNETES_RELEASE_URL = URI.create("https://dl.k8s.io/release");
    public static final URI ETCD_RELEASE_URL = URI.create("https://github.com/etcd-io/etcd/releases/download");

    public ResolverOptions {
        KubernetesVersions.validate(kubernetesVersion);
        requireNonNull(binDir, "binDir");
        requireNonNull(path, "path");
        requireNonNull(cacheRoot, "cacheRoot");
        requireNonNull(kubernetesReleaseUrl, "kubernetesReleaseUrl");
        requireNonNull(etcdReleaseUrl, "etcdReleaseUrl");
        requireNonNull(goModules, "goModules");
        requireNonNull(arch, "arch");
    }

    /**
     * The options for this machine: its PATH, {@code ~/.cache/petlet/kubernetes}, the official
     * release sites, generated go.mod files and the JVM's architecture.
     */
    public static ResolverOptions defaults(String kubernetesVersion) {
        String path = System.getenv("PATH");
        return new ResolverOptions(
                kubernetesVersion,
                Optional.empty(),
                path == null ? "" : path,
                Path.of(System.getProperty("user.home"), ".cache", "petlet", "kubernetes"),
                KUBERNETES_RELEASE_URL,
                ETCD_RELEASE_URL,
                Optional.empty(),
                architecture(System.getProperty("os.arch")));
    }

    public ResolverOptions withBinDir(Path directory) {
        return new ResolverOptions(
                kubernetesVersion,
                Optional.of(directory),
                path,
                cacheRoot,
                kubernetesReleaseUrl,
                etcdReleaseUrl,
                goModules,
                arch);
    }

    public ResolverOptions withGoModules(Path directory) {
        return new ResolverOptions(
                kubernetesVersion,
                binDir,
                path,
                cacheRoot,
                kubernetesReleaseUrl,
                etcdReleaseUrl,
                Optional.of(directory),
                arch);
    }

    /** Maps a Java {@code os.arch} to the name Kubernetes and etcd releases use. */
    static String architecture(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> osArch;
        };
    }
}

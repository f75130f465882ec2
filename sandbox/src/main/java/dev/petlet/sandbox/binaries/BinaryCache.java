package dev.petlet.sandbox.binaries;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Petlet's cache of control-plane binaries: {@code <root>/<version>/} holds only complete, verified
 * binaries, because everything is fetched or built in a {@code <root>/.tmp-<random>} staging
 * directory first and moved in afterwards.
 */
final class BinaryCache {
    private static final Logger log = LoggerFactory.getLogger(BinaryCache.class);
    private static final String STAGING_PREFIX = ".tmp-";
    // A staging directory this old belongs to a run that was killed: no build takes a day.
    private static final Duration STALE_AFTER = Duration.ofDays(1);

    private final Path root;
    private final String kubernetesVersion;

    BinaryCache(Path root, String kubernetesVersion) {
        this.root = requireNonNull(root, "root");
        this.kubernetesVersion = requireNonNull(kubernetesVersion, "kubernetesVersion");
    }

    Path versionDirectory() {
        return root.resolve(kubernetesVersion);
    }

    /** The cached binaries, if all four are there and executable. */
    Optional<BinarySet> find() {
        Path directory = versionDirectory();
        for (ControlPlaneBinary binary : ControlPlaneBinary.values()) {
            if (!ExecutableSearch.isExecutableFile(directory.resolve(binary.fileName()))) {
                return Optional.empty();
            }
        }
        return Optional.of(BinarySet.inDirectory(kubernetesVersion, directory, BinarySet.SOURCE_CACHE));
    }

    /** A new, empty staging directory on the cache's file system, so that moves out of it are atomic. */
    Staging stage() throws IOException {
        Files.createDirectories(root);
        deleteStaleStagingDirectories();
        Path directory = root.resolve(STAGING_PREFIX + UUID.randomUUID());
        Files.createDirectory(directory);
        Staging staging = new Staging(directory);
        Files.createDirectory(staging.binaries());
        Files.createDirectory(staging.work());
        return staging;
    }

    /**
     * Moves the four binaries from {@code stagedBinaries} into the version directory, made
     * executable, and returns them as the {@code source} set.
     */
    BinarySet install(Path stagedBinaries, String source) throws IOException {
        for (ControlPlaneBinary binary : ControlPlaneBinary.values()) {
            Files.setPosixFilePermissions(
                    stagedBinaries.resolve(binary.fileName()), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path target = versionDirectory();
        try {
            // One rename: other petlet processes see no binaries or all four.
            Files.move(stagedBinaries, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
            // The directory is there already, perhaps with a partial set from an interrupted build by
            // hand: replace file by file; find() accepts the directory only once all four are in.
            for (ControlPlaneBinary binary : ControlPlaneBinary.values()) {
                Files.move(
                        stagedBinaries.resolve(binary.fileName()),
                        target.resolve(binary.fileName()),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return BinarySet.inDirectory(kubernetesVersion, target, source);
    }

    private void deleteStaleStagingDirectories() {
        FileTime staleBefore = FileTime.from(Instant.now().minus(STALE_AFTER));
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(entry -> entry.getFileName().toString().startsWith(STAGING_PREFIX))
                    .filter(entry -> isOlderThan(entry, staleBefore))
                    .forEach(BinaryCache::deleteRecursively);
        } catch (IOException e) {
            log.debug("Could not look for stale staging directories in {}", root, e);
        }
    }

    private static boolean isOlderThan(Path entry, FileTime time) {
        try {
            return Files.getLastModifiedTime(entry).compareTo(time) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    // Cleanup after success or failure: a leftover only costs disk space until the next stale sweep,
    // so failing here must not hide the outcome the caller is reporting.
    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> entries = Files.walk(directory)) {
            entries.sorted(Comparator.reverseOrder()).forEach(entry -> {
                try {
                    Files.deleteIfExists(entry);
                } catch (IOException e) {
                    log.debug("Could not delete {}", entry, e);
                }
            });
        } catch (IOException e) {
            log.debug("Could not delete {}", directory, e);
        }
    }

    /**
     * A scratch directory: {@link #binaries()} collects the finished binaries, {@link #work()} holds
     * everything else; closing deletes it all.
     */
    record Staging(Path directory) implements AutoCloseable {
        Path binaries() {
            return directory.resolve("bin");
        }

        Path work() {
            return directory.resolve("work");
        }

        @Override
        public void close() {
            deleteRecursively(directory);
        }
    }
}

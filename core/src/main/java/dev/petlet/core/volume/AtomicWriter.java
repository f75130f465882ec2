package dev.petlet.core.volume;

import dev.petlet.core.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes a volume's files as the kubelet's {@code AtomicWriter} does, so readers never see half an
 * update: the files go into a fresh {@code ..<timestamp>} directory, the {@code ..data} symlink is
 * swapped to it with one rename, and the user-visible names are symlinks through {@code ..data}.
 */
final class AtomicWriter {
    static final String DATA = "..data";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.");

    private final Clock clock;

    AtomicWriter(Clock clock) {
        this.clock = clock;
    }

    /** Makes {@code directory} hold exactly {@code payload}; returns whether anything changed. */
    boolean write(Path directory, Map<String, FileProjection> payload) throws IOException, VolumeError {
        for (String path : payload.keySet()) {
            validate(path);
        }
        Files.createDirectories(directory);
        Path data = directory.resolve(DATA);
        if (Files.isSymbolicLink(data) && payload.equals(read(data.toRealPath()))) {
            return false;
        }
        Path previous = Files.isSymbolicLink(data) ? directory.resolve(Files.readSymbolicLink(data)) : null;
        String name = TIMESTAMP.format(clock.instant().atZone(ZoneOffset.UTC))
                + String.format("%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
        Path next = Files.createDirectory(directory.resolve(name));
        setMode(next, 0755);
        for (var entry : payload.entrySet()) {
            Path file = next.resolve(entry.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, entry.getValue().data());
            setMode(file, entry.getValue().mode());
        }
        Path swap = directory.resolve("..data_tmp");
        Files.deleteIfExists(swap);
        Files.createSymbolicLink(swap, Path.of(name));
        Files.move(swap, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Set<String> visible = new HashSet<>();
        for (String path : payload.keySet()) {
            visible.add(Path.of(path).getName(0).toString());
        }
        for (String top : visible) {
            Path link = directory.resolve(top);
            if (!Files.isSymbolicLink(link)) {
                try {
                    Files.createSymbolicLink(link, Path.of(DATA, top));
                } catch (FileAlreadyExistsException e) {
                    throw new VolumeError(
                            "cannot write " + top + " into the volume: a file of that name is in the way");
                }
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String entryName = entry.getFileName().toString();
                if (!entryName.startsWith("..") && !visible.contains(entryName) && Files.isSymbolicLink(entry)) {
                    Files.delete(entry); // a key that was removed
                }
            }
        }
        if (previous != null && !previous.getFileName().toString().equals(name)) {
            FileTrees.delete(previous);
        }
        return true;
    }

    /** The files under a written {@code ..<timestamp>} directory, by relative path. */
    static Map<String, FileProjection> read(Path written) throws IOException {
        Map<String, FileProjection> files = new HashMap<>();
        if (!Files.isDirectory(written)) {
            return files;
        }
        try (Stream<Path> paths = Files.walk(written)) {
            for (Path path : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                files.put(
                        written.relativize(path).toString(), new FileProjection(Files.readAllBytes(path), mode(path)));
            }
        }
        return files;
    }

    static void validate(String path) throws VolumeError {
        if (path.isEmpty() || path.startsWith("/")) {
            throw new VolumeError("invalid path " + path + ": must be a relative path");
        }
        if (path.startsWith("..")) {
            throw new VolumeError("invalid path " + path + ": must not start with '..'");
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                throw new VolumeError("invalid path " + path + ": must not contain '..'");
            }
        }
    }

    static int mode(Path path) throws IOException {
        int mode = 0;
        for (PosixFilePermission permission : Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }

    static void setMode(Path path, int mode) throws IOException {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - permission.ordinal()))) != 0) {
                permissions.add(permission);
            }
        }
        Files.setPosixFilePermissions(path, permissions);
    }
}

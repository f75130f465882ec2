package dev.petlet.core.volume;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Mounts and unmounts tmpfs file systems for memory-backed volumes. Thread-safe. */
interface Mounter {
    /** Mounts a tmpfs at the directory unless one is there; {@code sizeBytes} may be null (the kernel's default). */
    void tmpfs(Path directory, Long sizeBytes) throws IOException;

    /** The mount points at or below the directory, deepest first. */
    List<Path> mountPointsUnder(Path directory) throws IOException;

    void unmount(Path mountPoint) throws IOException;
}

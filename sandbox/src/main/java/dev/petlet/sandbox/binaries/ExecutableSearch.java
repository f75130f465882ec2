package dev.petlet.sandbox.binaries;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs the way a shell does: the first executable file of that name along a PATH. */
final class ExecutableSearch {
    private ExecutableSearch() {}

    static Optional<Path> find(String name, String searchPath) {
        for (String entry : searchPath.split(File.pathSeparator)) {
            // An empty entry means the current directory to a shell; petlet does not run programs
            // from wherever it happens to be started.
            if (entry.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(entry, name);
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException e) {
                // Not a usable directory name: a shell would skip it too.
            }
        }
        return Optional.empty();
    }

    static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}

package dev.petlet.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What a sandbox writes for each child it starts, so that a sandbox started after a crash can
 * find and stop what the crashed one left: pid plus start time, which together survive pid reuse.
 */
record PidFile(String component, long pid, long startTime) {

    static Path path(Path directory, String component) {
        return directory.resolve(component + ".pid");
    }

    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path target = path(directory, component);
        Path temporary = directory.resolve("." + component + ".pid.tmp");
        Files.writeString(temporary, pid + " " + startTime + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads a pid file; a missing or garbled one is treated as absent. */
    static Optional<PidFile> read(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".pid")) {
            return Optional.empty();
        }
        try {
            String[] fields = Files.readString(file).trim().split("\\s+");
            return Optional.of(new PidFile(
                    name.substring(0, name.length() - 4), Long.parseLong(fields[0]), Long.parseLong(fields[1])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

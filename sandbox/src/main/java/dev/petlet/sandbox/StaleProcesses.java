package dev.petlet.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Stops the components a crashed sandbox left running, found through its pid files. */
final class StaleProcesses {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final ProcessTable processes;
    private final Consumer<String> progress;

    StaleProcesses(ProcessTable processes, Consumer<String> progress) {
        this.processes = processes;
        this.progress = progress;
    }

    /** Stops every still-running process named by a pid file in the directory and removes the files. */
    void stopAll(Path pidDirectory) throws IOException {
        if (!Files.isDirectory(pidDirectory)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(pidDirectory)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".pid"))
                    .toList();
        }
        for (Path file : files) {
            Optional<PidFile> pidFile = PidFile.read(file);
            pidFile.filter(this::isRunning).ifPresent(this::stop);
            Files.deleteIfExists(file);
        }
    }

    private boolean isRunning(PidFile pidFile) {
        // The start time guards against killing an unrelated process that reused the pid.
        return processes.startTime(pidFile.pid()).orElse(-1) == pidFile.startTime();
    }

    private void stop(PidFile pidFile) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pidFile.pid());
        if (handle.isEmpty()) {
            return;
        }
        progress.accept("stopping " + pidFile.component() + " (pid " + pidFile.pid()
                + ") left running by an earlier sandbox that did not stop cleanly");
        ProcessHandle process = handle.get();
        process.destroy();
        try {
            process.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }
}

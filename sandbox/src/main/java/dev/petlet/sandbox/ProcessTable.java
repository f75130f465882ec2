package dev.petlet.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** Reads what Linux's /proc says about processes and listening sockets. */
final class ProcessTable {
    private final Path proc;

    ProcessTable(Path proc) {
        this.proc = proc;
    }

    static ProcessTable system() {
        return new ProcessTable(Path.of("/proc"));
    }

    /**
     * The process start time in clock ticks since boot (field 22 of /proc/PID/stat); together
     * with the pid it names one process, even after the pid is reused.
     */
    OptionalLong startTime(long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
            // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The short command name of a process, or empty if it is gone. */
    Optional<String> command(long pid) {
        try {
            return Optional.of(Files.readString(proc.resolve(Long.toString(pid)).resolve("comm"))
                    .trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Which process listens on a TCP port (any address), if /proc lets us see it. */
    Optional<String> describeListener(int port) {
        List<String> inodes = listeningSocketInodes(port);
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        try (Stream<Path> processes = Files.list(proc)) {
            for (Path process : processes
                    .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                if (holdsAnySocket(process.resolve("fd"), inodes)) {
                    long pid = Long.parseLong(process.getFileName().toString());
                    return Optional.of(command(pid).orElse("?") + " (pid " + pid + ")");
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private List<String> listeningSocketInodes(int port) {
        String hexPort = HexFormat.of().withUpperCase().toHexDigits((short) port);
        return Stream.of("tcp", "tcp6")
                .flatMap(table -> {
                    try {
                        return Files.readAllLines(proc.resolve("net").resolve(table)).stream()
                                .skip(1);
                    } catch (IOException e) {
                        return Stream.empty();
                    }
                })
                .map(line -> line.trim().split("\\s+"))
                // fields: sl local_address rem_address st ... inode(9); st 0A = LISTEN
                .filter(f -> f.length > 9 && f[1].endsWith(":" + hexPort) && f[3].equals("0A"))
                .map(f -> f[9])
                .toList();
    }

    private static boolean holdsAnySocket(Path fdDirectory, List<String> inodes) {
        try (Stream<Path> fds = Files.list(fdDirectory)) {
            return fds.anyMatch(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1));
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.petlet.provider.podman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The part of a container's memory the kernel reclaims first (inactive file cache), read from its cgroup's
 * {@code memory.stat}: Podman 4's stats report the cgroup's whole usage, cache included, and the working set
 * Kubernetes means (and cAdvisor computes) is usage minus inactive file pages.
 */
final class CgroupMemory {
    private final Path cgroupRoot;

    /** @param cgroupRoot where the cgroup file systems are mounted, normally {@code /sys/fs/cgroup} */
    CgroupMemory(Path cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
    }

    /**
     * The inactive file bytes of the cgroup at {@code cgroupPath} (as Podman's inspect reports {@code
     * State.CgroupPath}): {@code total_inactive_file} of cgroup v1's memory controller, else {@code inactive_file}
     * of cgroup v2's unified hierarchy; empty if neither can be read.
     */
    OptionalLong inactiveFileBytes(String cgroupPath) {
        if (cgroupPath == null || cgroupPath.isEmpty() || cgroupPath.contains("..")) {
            return OptionalLong.empty();
        }
        String relative = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
        OptionalLong v1 =
                read(cgroupRoot.resolve("memory").resolve(relative).resolve("memory.stat"), "total_inactive_file");
        return v1.isPresent() ? v1 : read(cgroupRoot.resolve(relative).resolve("memory.stat"), "inactive_file");
    }

    /** Usage less inactive file pages, never below zero: cAdvisor's working set. */
    static long workingSet(long usage, OptionalLong inactiveFile) {
        long inactive = inactiveFile.orElse(0);
        return usage > inactive ? usage - inactive : 0;
    }

    private static OptionalLong read(Path memoryStat, String key) {
        if (!Files.isRegularFile(memoryStat)) {
            return OptionalLong.empty();
        }
        try {
            return value(Files.readAllLines(memoryStat), key);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // the container went away meanwhile
        }
    }

    static OptionalLong value(List<String> memoryStat, String key) {
        for (String line : memoryStat) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(0, space).equals(key)) {
                return OptionalLong.of(Long.parseLong(line.substring(space + 1).trim()));
            }
        }
        return OptionalLong.empty();
    }
}

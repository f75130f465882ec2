package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's own usage from the kernel: CPU from {@code /proc/stat}, memory from {@code /proc/meminfo} (working set
 * = MemTotal − MemAvailable, as the kubelet approximates it without the root cgroup), disk from the file system of
 * the state directory.
 */
final class NodeUsageReader {
    /** USER_HZ: the unit of {@code /proc/stat}'s CPU times, 100 on every Linux architecture Kubernetes runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Path proc;
    private final Path fileSystem;

    /**
     * @param proc where procfs is mounted, normally {@code /proc}
     * @param fileSystem a directory on the file system to report, normally the agent's state directory
     */
    NodeUsageReader(Path proc, Path fileSystem) {
        this.proc = requireNonNull(proc, "proc");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem");
    }

    /** One reading of the node's counters. */
    record Reading(long cpuNanos, Instant bootTime, long memTotal, long memFree, long memAvailable) {}

    Reading read() throws IOException {
        List<String> stat = Files.readAllLines(proc.resolve("stat"));
        Map<String, Long> meminfo = meminfo(Files.readAllLines(proc.resolve("meminfo")));
        return new Reading(
                cpuNanos(stat),
                bootTime(stat),
                meminfo.getOrDefault("MemTotal", 0L),
                meminfo.getOrDefault("MemFree", 0L),
                meminfo.getOrDefault("MemAvailable", meminfo.getOrDefault("MemFree", 0L)));
    }

    UsageSummary.FileSystem fileSystem(Instant now) throws IOException {
        FileStore store = Files.getFileStore(fileSystem);
        long capacity = store.getTotalSpace();
        return new UsageSummary.FileSystem(
                now, capacity, store.getUsableSpace(), capacity - store.getUnallocatedSpace());
    }

    /**
     * The CPU time all cores spent busy, in nanoseconds, from the aggregate {@code cpu} line: user, nice, system,
     * irq, softirq and steal (guest time is already part of user).
     */
    static long cpuNanos(List<String> stat) {
        for (String line : stat) {
            String[] fields = line.trim().split("\\s+");
            if (fields[0].equals("cpu")) {
                long ticks = 0;
                for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                    if (field < fields.length) {
                        ticks += Long.parseLong(fields[field]);
                    }
                }
                return ticks * NANOS_PER_TICK;
            }
        }
        throw new IllegalArgumentException("/proc/stat has no aggregate cpu line");
    }

    /** When the machine booted, from {@code btime}. */
    static Instant bootTime(List<String> stat) {
        return stat.stream()
                .filter(line -> line.startsWith("btime "))
                .map(line ->
                        Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim())))
                .findFirst()
                .orElse(Instant.EPOCH);
    }

    /** {@code /proc/meminfo} in bytes, by field name. */
    static Map<String, Long> meminfo(List<String> lines) {
        Map<String, Long> values = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] value = line.substring(colon + 1).trim().split("\\s+");
            try {
                long number = Long.parseLong(value[0]);
                values.put(
                        line.substring(0, colon), value.length > 1 && value[1].equals("kB") ? number * 1024 : number);
            } catch (NumberFormatException e) {
                // not a number: not a field we read
            }
        }
        return values;
    }
}

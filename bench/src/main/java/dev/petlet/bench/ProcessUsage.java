package dev.petlet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a process has cost since it started, from {@code /proc}: its peak resident memory
 * ({@code VmHWM}) and the CPU time of all its threads ({@code utime + stime}).
 *
 * @param peakRssKib the peak resident set size in KiB
 * @param cpu user plus system CPU time
 */
record ProcessUsage(long peakRssKib, Duration cpu) {
    /** {@code getconf CLK_TCK}: the unit of the times in {@code /proc/<pid>/stat}, 100 on Linux. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    static ProcessUsage of(long pid) throws IOException {
        long peakKib = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmHWM:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst()
                .orElseThrow(() -> new IOException("/proc/" + pid + "/status has no VmHWM line"));
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count fields after it,
        // from the state (field 3). utime and stime are fields 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        return new ProcessUsage(peakKib, Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND));
    }

    long peakRssMib() {
        return peakRssKib / 1024;
    }

    /** The CPU time used since an earlier reading of the same process. */
    Duration cpuSince(ProcessUsage earlier) {
        return cpu.minus(earlier.cpu());
    }
}

package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeUsageReaderTest {
    static final List<String> STAT = List.of(
            "cpu  1000 20 300 99999 55 6 7 8 100 0",
            "cpu0 500 10 150 50000 20 3 3 4 50 0",
            "intr 12345",
            "btime 1711500000",
            "processes 42");
    static final List<String> MEMINFO = List.of(
            "MemTotal:       24000000 kB",
            "MemFree:         4000000 kB",
            "MemAvailable:   16000000 kB",
            "Buffers: 1 kB");

    @Test
    void busyCpuTimeLeavesOutIdleAndIowait() {
        // user + nice + system + irq + softirq + steal = 1341 ticks of 10 ms
        assertThat(NodeUsageReader.cpuNanos(STAT)).isEqualTo(13_410_000_000L);
        assertThat(NodeUsageReader.bootTime(STAT)).isEqualTo(Instant.ofEpochSecond(1711500000L));
    }

    @Test
    void meminfoInBytes() {
        assertThat(NodeUsageReader.meminfo(MEMINFO))
                .containsEntry("MemTotal", 24_000_000L * 1024)
                .containsEntry("MemAvailable", 16_000_000L * 1024);
    }

    @Test
    void readsAProcDirectoryAndTheFileSystem(@TempDir Path proc) throws Exception {
        Files.write(proc.resolve("stat"), STAT);
        Files.write(proc.resolve("meminfo"), MEMINFO);
        NodeUsageReader reader = new NodeUsageReader(proc, proc);

        NodeUsageReader.Reading reading = reader.read();
        assertThat(reading.memTotal() - reading.memAvailable()).isEqualTo(8_000_000L * 1024);
        assertThat(reading.memTotal() - reading.memFree()).isEqualTo(20_000_000L * 1024);

        UsageSummary.FileSystem fs = reader.fileSystem(Instant.EPOCH);
        assertThat(fs.capacityBytes()).isPositive();
        assertThat(fs.availableBytes()).isBetween(0L, fs.capacityBytes());
        assertThat(fs.usedBytes()).isBetween(0L, fs.capacityBytes());
    }
}

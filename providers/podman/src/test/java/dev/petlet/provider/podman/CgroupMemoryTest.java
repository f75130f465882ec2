package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupMemoryTest {
    @TempDir
    Path root;

    @Test
    void readsCgroupV1sTotalInactiveFile() throws Exception {
        Path dir = Files.createDirectories(root.resolve("memory/libpod_parent/libpod-abc"));
        Files.write(
                dir.resolve("memory.stat"), List.of("cache 100", "inactive_file 5", "total_inactive_file 67108864"));
        assertThat(new CgroupMemory(root).inactiveFileBytes("/libpod_parent/libpod-abc"))
                .hasValue(67108864L);
    }

    @Test
    void readsCgroupV2sInactiveFile() throws Exception {
        Path dir = Files.createDirectories(root.resolve("machine.slice/libpod-abc.scope"));
        Files.write(dir.resolve("memory.stat"), List.of("anon 4096", "inactive_file 8192", "active_file 1"));
        assertThat(new CgroupMemory(root).inactiveFileBytes("/machine.slice/libpod-abc.scope"))
                .hasValue(8192L);
    }

    @Test
    void unknownCgroupsHaveNoValue() {
        assertThat(new CgroupMemory(root).inactiveFileBytes("/gone")).isEmpty();
        assertThat(new CgroupMemory(root).inactiveFileBytes("")).isEmpty();
        assertThat(new CgroupMemory(root).inactiveFileBytes("/../../etc")).isEmpty();
    }

    @Test
    void theWorkingSetIsUsageLessInactiveFileNeverNegative() {
        assertThat(CgroupMemory.workingSet(69_210_112L, OptionalLong.of(67_108_864L)))
                .isEqualTo(2_101_248L);
        assertThat(CgroupMemory.workingSet(100L, OptionalLong.of(200L))).isZero();
        assertThat(CgroupMemory.workingSet(100L, OptionalLong.empty())).isEqualTo(100L);
    }
}

package dev.petlet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a fake /proc laid out in a temporary folder. */
class ProcessTableTest {
    @TempDir
    Path proc;

    @Test
    void readsTheStartTimeEvenWhenTheCommandNameHasSpacesAndParentheses() throws Exception {
        Path process = Files.createDirectories(proc.resolve("42"));
        Files.writeString(
                process.resolve("stat"),
                "42 (evil) name) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 12345 67 "
                        + "18446744073709551615\n");
        assertThat(new ProcessTable(proc).startTime(42)).hasValue(987654);
        assertThat(new ProcessTable(proc).startTime(43)).isEmpty();
    }

    @Test
    void namesTheProcessListeningOnAPort() throws Exception {
        Files.createDirectories(proc.resolve("net"));
        // 0x1A0B = 6667, state 0A = LISTEN, inode 5555
        Files.writeString(
                proc.resolve("net/tcp"),
                String.join(
                        "\n",
                        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                        "   0: 00000000:1A0B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5555 1",
                        ""));
        Files.writeString(proc.resolve("net/tcp6"), "header\n");
        Path fds = Files.createDirectories(proc.resolve("77/fd"));
        Files.createSymbolicLink(fds.resolve("3"), Path.of("socket:[5555]"));
        Files.writeString(proc.resolve("77/comm"), "etcd\n");
        ProcessTable table = new ProcessTable(proc);
        assertThat(table.describeListener(6667)).hasValue("etcd (pid 77)");
        assertThat(table.describeListener(6668)).isEmpty();
    }
}

package dev.petlet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
    @TempDir
    Path directory;

    @Test
    void roundTrips() throws Exception {
        new PidFile("kube-apiserver", 1234, 98765).write(directory);
        assertThat(PidFile.read(directory.resolve("kube-apiserver.pid")))
                .contains(new PidFile("kube-apiserver", 1234, 98765));
    }

    @Test
    void treatsGarbledFilesAsAbsent() throws Exception {
        Files.writeString(directory.resolve("etcd.pid"), "garbage");
        assertThat(PidFile.read(directory.resolve("etcd.pid"))).isEmpty();
        assertThat(PidFile.read(directory.resolve("missing.pid"))).isEmpty();
    }
}

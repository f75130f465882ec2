package dev.petlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ProviderCheck;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code petlet doctor}'s own checks say what to fix. */
class MachineChecksTest {
    @TempDir
    Path temporary;

    @Test
    void aPortInUseFailsWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();

            ProviderCheck check = MachineChecks.portFree(port, "kubeletPort");

            assertThat(check.passed()).isFalse();
            assertThat(check.description()).isEqualTo("port " + port + " (kubeletPort) is free");
            assertThat(check.advice())
                    .contains("set kubeletPort in petlet.yaml")
                    .contains("ss -ltnp sport = :" + port);
        }
    }

    @Test
    void cgroupsV2IsRecognizedByItsControllersFile() throws Exception {
        Path controllers = temporary.resolve("cgroup.controllers");
        assertThat(MachineChecks.cgroupsV2(controllers).passed()).isFalse();
        assertThat(MachineChecks.cgroupsV2(controllers).advice()).contains("systemd.unified_cgroup_hierarchy=1");

        Files.writeString(controllers, "cpu memory\n");

        assertThat(MachineChecks.cgroupsV2(controllers).passed()).isTrue();
    }
}

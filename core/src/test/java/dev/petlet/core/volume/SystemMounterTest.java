package dev.petlet.core.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemMounterTest {
    private static final List<String> MOUNT_INFO = List.of(
            "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
            "25 22 0:21 / /run rw,nosuid,nodev shared:5 - tmpfs tmpfs rw,size=2400000k,mode=755",
            "30 22 0:25 / /var/lib/petlet/pods rw,relatime shared:9 - tmpfs tmpfs rw",
            "31 22 0:26 / /mnt/with\\040space rw,relatime - xfs /dev/sdb1 rw");

    @Test
    void rootHasSysAdminAnUnprivilegedAgentWithNetAdminOnlyDoesNot() {
        assertThat(SystemMounter.hasSysAdmin(List.of("Name:\tjava", "CapEff:\t000001ffffffffff")))
                .isTrue();
        assertThat(SystemMounter.hasSysAdmin(List.of("CapEff:\t0000000000001000")))
                .isFalse(); // CAP_NET_ADMIN
        assertThat(SystemMounter.hasSysAdmin(List.of("Name:\tjava"))).isFalse();
    }

    @Test
    void theFileSystemOfAPathIsThatOfTheDeepestMountAboveIt() {
        assertThat(SystemMounter.fileSystemType(MOUNT_INFO, Path.of("/var/lib/petlet/pods/uid/volumes/v")))
                .isEqualTo("tmpfs");
        assertThat(SystemMounter.fileSystemType(MOUNT_INFO, Path.of("/var/lib/petlet/state")))
                .isEqualTo("ext4");
        assertThat(SystemMounter.fileSystemType(MOUNT_INFO, Path.of("/run/petlet")))
                .isEqualTo("tmpfs");
        assertThat(SystemMounter.fileSystemType(MOUNT_INFO, Path.of("/mnt/with space/x")))
                .isEqualTo("xfs");
        assertThat(SystemMounter.fileSystemType(MOUNT_INFO, Path.of("/runner"))).isEqualTo("ext4");
    }
}

package dev.petlet.provider.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.volume.VolumeMountRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NfsVolumeDriverTest {
    private static final Path TARGET = Path.of("/var/lib/petlet/pods/u1/volumes/kubernetes.io~nfs/data");

    private static VolumeMountRequest request(Map<String, String> source, boolean readOnly) {
        return new VolumeMountRequest("u1", "default", "web", "data", "nfs", source, TARGET, readOnly);
    }

    @Test
    void mountsServerPathOnTheTarget() throws ProviderException {
        var driver = new NfsVolumeDriver("mount", "umount", Optional.empty(), target -> false);

        assertThat(driver.mountCommand(request(Map.of("server", "10.0.0.5", "path", "/export/data"), false)))
                .containsExactly("mount", "-t", "nfs", "10.0.0.5:/export/data", TARGET.toString());
    }

    @Test
    void readOnlyComesBeforeTheConfiguredOptions() throws ProviderException {
        var driver = new NfsVolumeDriver("/sbin/mount", "umount", Optional.of("nfsvers=4.2,soft"), target -> false);

        assertThat(driver.mountCommand(request(Map.of("server", "nas.lan", "path", "/srv"), true)))
                .containsExactly(
                        "/sbin/mount", "-t", "nfs", "-o", "ro,nfsvers=4.2,soft", "nas.lan:/srv", TARGET.toString());
    }

    @Test
    void bracketsAnIpv6Server() throws ProviderException {
        var driver = new NfsVolumeDriver("mount", "umount", Optional.empty(), target -> false);

        assertThat(driver.mountCommand(request(Map.of("server", "fd00::5", "path", "/x"), false)))
                .contains("[fd00::5]:/x");
    }

    @Test
    void rejectsARelativePathAndAnOptionLookingServer() {
        var driver = new NfsVolumeDriver("mount", "umount", Optional.empty(), target -> false);

        assertThatThrownBy(() -> driver.mountCommand(request(Map.of("server", "nas", "path", "export"), false)))
                .isInstanceOf(ProviderException.class)
                .hasMessage("nfs volume data: path 'export' must be an absolute path")
                .extracting(e -> ((ProviderException) e).code())
                .isEqualTo(ErrorCode.INVALID);
        assertThatThrownBy(() -> driver.mountCommand(request(Map.of("server", "-oremount", "path", "/x"), false)))
                .hasMessageContaining("server '-oremount' is not a host name or address");
    }

    @Test
    void refusesOtherKinds() {
        var driver = new NfsVolumeDriver("mount", "umount", Optional.empty(), target -> false);
        var request = new VolumeMountRequest("u1", "default", "web", "data", "iscsi", Map.of(), TARGET, false);

        assertThatThrownBy(() -> driver.mount(request))
                .hasMessage("the nfs volume driver does not mount volumes of kind iscsi (volume data)");
    }

    @Test
    void factoryRefusesUnknownKeys() {
        assertThatThrownBy(() -> new NfsVolumeDriverFactory().create(Map.of("mountComand", "x"), null))
                .hasMessageContaining("unknown config key mountComand")
                .hasMessageContaining("mountCommand");
    }
}

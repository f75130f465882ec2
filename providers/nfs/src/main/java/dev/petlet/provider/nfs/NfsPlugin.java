package dev.petlet.provider.nfs;

import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.volume.VolumeDriverFactory;
import java.util.List;

/** The NFS provider: a volume driver named {@code "nfs"} that mounts pods' {@code nfs} volumes with mount(8). */
public final class NfsPlugin implements PetletPlugin {
    @Override
    public List<VolumeDriverFactory> volumeDrivers() {
        return List.of(new NfsVolumeDriverFactory());
    }
}

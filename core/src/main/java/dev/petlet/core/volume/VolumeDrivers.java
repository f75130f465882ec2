package dev.petlet.core.volume;

import dev.petlet.spi.volume.VolumeDriver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured volume drivers by the pod-spec volume kind each mounts ({@code nfs}). The caller owns the
 * drivers and closes them; a kind offered by two drivers is a startup error naming both.
 */
public final class VolumeDrivers {
    public static final VolumeDrivers NONE = new VolumeDrivers(Map.of());

    private final Map<String, VolumeDriver> byKind;

    private VolumeDrivers(Map<String, VolumeDriver> byKind) {
        this.byKind = Map.copyOf(byKind);
    }

    /**
     * @param drivers each driver by its provider name, for messages
     * @throws IllegalArgumentException when two drivers mount the same kind
     */
    public static VolumeDrivers of(Map<String, VolumeDriver> drivers) {
        Map<String, VolumeDriver> byKind = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        drivers.forEach((name, driver) -> {
            for (String kind : driver.kinds()) {
                String other = names.putIfAbsent(kind, name);
                if (other != null) {
                    throw new IllegalArgumentException("volumeDrivers: both " + other + " and " + name
                            + " mount volumes of kind " + kind + "; configure only one of them");
                }
                byKind.put(kind, driver);
            }
        });
        return new VolumeDrivers(byKind);
    }

    /** The driver that mounts volumes of this kind, if one is configured. */
    public Optional<VolumeDriver> forKind(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /** The kinds that have a driver. */
    public List<String> kinds() {
        return byKind.keySet().stream().sorted().toList();
    }
}

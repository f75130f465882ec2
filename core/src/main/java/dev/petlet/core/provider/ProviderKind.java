package dev.petlet.core.provider;

import dev.petlet.spi.PetletPlugin;
import dev.petlet.spi.ProviderFactory;
import java.util.List;

/** The kinds of provider a plugin can offer, as {@code petlet providers} names them. */
public enum ProviderKind {
    RUNTIME("runtime", "runtimes"),
    SERVICE_PROXY("service proxy", "service proxies"),
    TUNNEL("tunnel", "tunnels"),
    VOLUME_DRIVER("volume driver", "volume drivers"),
    DEVICES("devices", "device inventories");

    private final String label;
    private final String plural;

    ProviderKind(String label, String plural) {
        this.label = label;
        this.plural = plural;
    }

    /** "runtimes", "device inventories". */
    public String plural() {
        return plural;
    }

    /** How users read it: "runtime", "service proxy". */
    public String label() {
        return label;
    }

    /** The factories of this kind a plugin offers; the caller sets the context class loader. */
    List<? extends ProviderFactory<?>> factories(PetletPlugin plugin) {
        return switch (this) {
            case RUNTIME -> plugin.runtimes();
            case SERVICE_PROXY -> plugin.serviceProxies();
            case TUNNEL -> plugin.tunnels();
            case VOLUME_DRIVER -> plugin.volumeDrivers();
            case DEVICES -> plugin.devices();
        };
    }
}

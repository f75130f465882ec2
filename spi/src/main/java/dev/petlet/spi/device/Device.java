package dev.petlet.spi.device;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One device an inventory found, as the core publishes it. Immutable; the attribute map is an immutable copy.
 *
 * @param id stable across scans and agent restarts for the same physical device (a serial number or a stable
 *     path such as {@code /dev/disk/by-id/...}), unique within one inventory; never empty
 * @param kind what it is, lower case: {@code "disk"}, {@code "pool"}, {@code "gpu"}
 * @param attributes what the inventory knows about it (model, size, health), keys in lower camel case
 */
public record Device(String id, String kind, Map<String, String> attributes) {
    public Device {
        requireNonNull(id, "id");
        requireNonNull(kind, "kind");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a device id must not be empty");
        }
        attributes = Map.copyOf(attributes);
    }
}

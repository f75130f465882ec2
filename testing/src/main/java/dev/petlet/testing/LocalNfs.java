package dev.petlet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The test sandbox's nfs volume driver, when the nfs provider is on the test class path: its mount helper
 * is a stand-in for mount.nfs (the kernel here has no NFS) that bind-mounts the export's {@code path}, a
 * local directory, on the target (read-only for {@code -o ro}); the server is ignored.
 */
public final class LocalNfs {
    private static final String PLUGIN = "dev.petlet.provider.nfs.NfsPlugin";

    private LocalNfs() {}

    /** {@code nfs} with the stand-in helper written to {@code helper}, or nothing when the provider is absent. */
    static Map<String, Map<String, String>> volumeDrivers(Path helper) {
        try {
            Class.forName(PLUGIN, false, LocalNfs.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Map.of();
        }
        try {
            Files.writeString(helper, """
                    #!/bin/sh
                    # petlet E2E stand-in for mount.nfs: mount -t nfs [-o OPTIONS] SERVER:PATH TARGET
                    options=""
                    source=""
                    target=""
                    while [ $# -gt 0 ]; do
                      case "$1" in
                        -t) shift ;;
                        -o) options="$2"; shift ;;
                        *) if [ -z "$source" ]; then source="$1"; else target="$1"; fi ;;
                      esac
                      shift
                    done
                    path="${source#*:}"
                    if [ ! -d "$path" ]; then
                      echo "mount.nfs: mounting $source failed, reason given by server: No such file or directory" >&2
                      exit 32
                    fi
                    mount --bind "$path" "$target" || exit 32
                    case ",$options," in
                      *,ro,*) mount -o remount,bind,ro "$target" || { umount "$target"; exit 32; } ;;
                    esac
                    """);
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the E2E nfs mount helper " + helper, e);
        }
        return Map.of("nfs", Map.of("mountCommand", helper.toString()));
    }
}

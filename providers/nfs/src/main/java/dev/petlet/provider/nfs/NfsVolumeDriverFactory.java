package dev.petlet.provider.nfs;

import dev.petlet.spi.ConfigKey;
import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderCheck;
import dev.petlet.spi.ProviderContext;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.volume.VolumeDriver;
import dev.petlet.spi.volume.VolumeDriverFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Creates {@link NfsVolumeDriver}s: {@code mountCommand}, {@code umountCommand}, {@code mountOptions}. */
public final class NfsVolumeDriverFactory implements VolumeDriverFactory {
    static final String MOUNT_COMMAND = "mountCommand";
    static final String UMOUNT_COMMAND = "umountCommand";
    static final String MOUNT_OPTIONS = "mountOptions";
    static final Set<String> KEYS = Set.of(MOUNT_COMMAND, UMOUNT_COMMAND, MOUNT_OPTIONS);
    private static final List<Path> MOUNT_NFS = List.of(Path.of("/sbin/mount.nfs"), Path.of("/usr/sbin/mount.nfs"));

    @Override
    public String name() {
        return "nfs";
    }

    @Override
    public VolumeDriver create(Map<String, String> config, ProviderContext context) throws ProviderException {
        for (String key : config.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ProviderException(
                        ErrorCode.INVALID,
                        "nfs volume driver: unknown config key " + key + "; the keys are " + MOUNT_COMMAND + ", "
                                + UMOUNT_COMMAND + " and " + MOUNT_OPTIONS);
            }
        }
        String mount = config.getOrDefault(MOUNT_COMMAND, "mount");
        String umount = config.getOrDefault(UMOUNT_COMMAND, "umount");
        if (mount.isBlank() || umount.isBlank()) {
            throw new ProviderException(
                    ErrorCode.INVALID,
                    "nfs volume driver: " + MOUNT_COMMAND + " and " + UMOUNT_COMMAND + " must not be empty");
        }
        return new NfsVolumeDriver(
                mount,
                umount,
                Optional.ofNullable(config.get(MOUNT_OPTIONS)).filter(o -> !o.isBlank()),
                MountTable.SYSTEM);
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                new ConfigKey(
                        MOUNT_COMMAND,
                        "the mount helper, called as `<it> -t nfs [-o <options>] server:path target`",
                        "mount"),
                new ConfigKey(UMOUNT_COMMAND, "the unmount helper, called as `<it> <target>`", "umount"),
                new ConfigKey(
                        MOUNT_OPTIONS,
                        "mount options added to every nfs mount, comma-separated, e.g. nfsvers=4.2,soft",
                        null));
    }

    @Override
    public List<ProviderCheck> check(Map<String, String> config) {
        List<ProviderCheck> checks = new ArrayList<>();
        boolean nfsHelper = MOUNT_NFS.stream().anyMatch(Files::isExecutable);
        checks.add(
                nfsHelper
                        ? ProviderCheck.passed("NFS mount helper mount.nfs")
                        : ProviderCheck.failed(
                                "NFS mount helper mount.nfs",
                                "install it (Debian: apt-get install nfs-common) so that nfs volumes can be mounted"));
        for (String key : List.of(MOUNT_COMMAND, UMOUNT_COMMAND)) {
            String command = config.getOrDefault(key, key.equals(MOUNT_COMMAND) ? "mount" : "umount");
            String what = key + " " + command;
            checks.add(
                    onPath(command)
                            ? ProviderCheck.passed(what)
                            : ProviderCheck.failed(what, "not found or not executable; install it or set " + key));
        }
        return checks;
    }

    static boolean onPath(String command) {
        if (command.contains("/")) {
            return Files.isExecutable(Path.of(command));
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
        for (String directory : path.split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }
}

package dev.petlet.core.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Mounter} with mount(8) and umount(8); reads mount points from {@code /proc/self/mountinfo}.
 *
 * <p>An agent without CAP_SYS_ADMIN (the unprivileged {@code petlet} user of the systemd unit) cannot mount: its
 * memory-backed volumes are then plain directories in its state directory, which is the agent's alone (mode
 * 0700), and it says so once. A directory that already lies on a tmpfs (e.g. a state directory under {@code
 * /run}, or a tmpfs an administrator mounted over {@code STATE/pods}) is in memory anyway and needs no mount.
 */
final class SystemMounter implements Mounter {
    private static final Logger log = LoggerFactory.getLogger(SystemMounter.class);

    /** The capability bit of CAP_SYS_ADMIN, which mount(2) needs. */
    private static final int CAP_SYS_ADMIN = 21;

    private static final Path MOUNT_INFO = Path.of("/proc/self/mountinfo");
    private static final Set<String> MEMORY_FILE_SYSTEMS = Set.of("tmpfs", "ramfs");

    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile Boolean canMount;

    @Override
    public void tmpfs(Path directory, Long sizeBytes) throws IOException {
        if (mountPointsUnder(directory).contains(directory)) {
            return;
        }
        if (!canMount()) {
            String type = fileSystemType(Files.readAllLines(MOUNT_INFO, StandardCharsets.UTF_8), directory);
            if (!MEMORY_FILE_SYSTEMS.contains(type) && warned.compareAndSet(false, true)) {
                log.warn(
                        "petlet runs without CAP_SYS_ADMIN, so it cannot mount a tmpfs for secret, token and"
                                + " memory-backed emptyDir volumes: they are plain directories in its state directory, such"
                                + " as {} on a {} file system (emptyDir sizeLimit is not enforced). To keep them in"
                                + " memory, mount a tmpfs over the state directory's pods folder or grant petlet"
                                + " CAP_SYS_ADMIN.",
                        directory,
                        type);
            }
            return;
        }
        String options = "mode=0755" + (sizeBytes == null ? "" : ",size=" + sizeBytes);
        run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", directory.toString()));
    }

    private boolean canMount() throws IOException {
        Boolean known = canMount;
        if (known == null) {
            known = hasSysAdmin(Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8));
            canMount = known;
        }
        return known;
    }

    /** True if the effective capabilities in /proc/self/status lines include CAP_SYS_ADMIN. */
    static boolean hasSysAdmin(List<String> status) {
        for (String line : status) {
            if (line.startsWith("CapEff:")) {
                long effective = Long.parseUnsignedLong(
                        line.substring("CapEff:".length()).strip(), 16);
                return (effective & (1L << CAP_SYS_ADMIN)) != 0;
            }
        }
        return false;
    }

    /** The type of the file system the path lies on: that of the deepest mount point above it in mountinfo. */
    static String fileSystemType(List<String> mountInfo, Path path) {
        Path best = null;
        String type = "unknown";
        for (String line : mountInfo) {
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length <= 4 || separator < 0 || separator + 1 >= fields.length) {
                continue;
            }
            Path mountPoint = Path.of(unescape(fields[4]));
            if (path.startsWith(mountPoint) && (best == null || mountPoint.getNameCount() >= best.getNameCount())) {
                best = mountPoint;
                type = fields[separator + 1];
            }
        }
        return type;
    }

    @Override
    public List<Path> mountPointsUnder(Path directory) throws IOException {
        List<Path> mountPoints = new ArrayList<>();
        for (String line : Files.readAllLines(MOUNT_INFO, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                Path mountPoint = Path.of(unescape(fields[4]));
                if (mountPoint.startsWith(directory)) {
                    mountPoints.add(mountPoint);
                }
            }
        }
        mountPoints.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return mountPoints;
    }

    @Override
    public void unmount(Path mountPoint) throws IOException {
        try {
            run(List.of("umount", mountPoint.toString()));
        } catch (IOException e) {
            if (mountPointsUnder(mountPoint).contains(mountPoint)) {
                throw e;
            } // else unmounted meanwhile by a clean-up running in parallel
        }
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            if (field.charAt(i) == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(field.charAt(i));
            }
        }
        return out.toString();
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}

package dev.petlet.provider.nfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a directory is a mount point. */
interface MountTable {
    /** The kernel's table of this process's mount namespace, {@code /proc/self/mountinfo}. */
    MountTable SYSTEM = target -> isMountPoint(Path.of("/proc/self/mountinfo"), target);

    boolean isMountPoint(Path target) throws IOException;

    /** Whether {@code mountinfo} (the format of {@code /proc/<pid>/mountinfo}) lists {@code target} as a mount point. */
    static boolean isMountPoint(Path mountinfo, Path target) throws IOException {
        Path wanted = target.toAbsolutePath().normalize();
        for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && Path.of(unescape(fields[4])).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Undoes mountinfo's octal escapes ({@code \040} for a space). */
    static String unescape(String field) {
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
}

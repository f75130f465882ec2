package dev.petlet.core.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The kubelet's hostPath {@code type} checks; the {@code …OrCreate} types create what is missing,
 * and so does the unchecked type {@code ""} (a directory, as containerd makes it: Podman would refuse).
 */
final class HostPathCheck {
    private static final int FORMAT = 0170000;
    private static final int SOCKET = 0140000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int BLOCK_DEVICE = 0060000;

    private HostPathCheck() {}

    static void check(Path path, String type) throws VolumeError, IOException {
        String failed = "hostPath type check failed: " + path + " is not ";
        switch (type == null ? "" : type) {
            case "" -> {
                if (!Files.exists(path)) {
                    Files.createDirectories(path); // as containerd does for an unchecked path
                }
            }
            case "DirectoryOrCreate" -> {
                if (!Files.exists(path)) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else if (!Files.isDirectory(path)) {
                    throw new VolumeError(failed + "a directory");
                }
            }
            case "Directory" -> {
                if (!Files.isDirectory(path)) {
                    throw new VolumeError(failed + "a directory");
                }
            }
            case "FileOrCreate" -> {
                if (!Files.exists(path)) {
                    if (path.getParent() != null) {
                        Files.createDirectories(path.getParent());
                    }
                    Files.createFile(
                            path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                } else if (!Files.isRegularFile(path)) {
                    throw new VolumeError(failed + "a file");
                }
            }
            case "File" -> {
                if (!Files.isRegularFile(path)) {
                    throw new VolumeError(failed + "a file");
                }
            }
            case "Socket" -> requireFormat(path, SOCKET, failed + "a socket file");
            case "CharDevice" -> requireFormat(path, CHARACTER_DEVICE, failed + "a character device");
            case "BlockDevice" -> requireFormat(path, BLOCK_DEVICE, failed + "a block device");
            default ->
                throw new VolumeError("invalid hostPath type " + type + " for " + path
                        + ": use DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice");
        }
    }

    private static void requireFormat(Path path, int format, String message) throws VolumeError, IOException {
        if (!Files.exists(path) || ((int) Files.getAttribute(path, "unix:mode") & FORMAT) != format) {
            throw new VolumeError(message);
        }
    }
}

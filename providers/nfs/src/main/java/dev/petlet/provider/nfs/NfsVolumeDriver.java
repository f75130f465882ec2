package dev.petlet.provider.nfs;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.volume.VolumeDriver;
import dev.petlet.spi.volume.VolumeMountRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Mounts {@code nfs} volumes with the system mount helper: {@code mount -t nfs [-o ro,<options>] server:path
 * target}, and unmounts them with {@code umount target}. Thread-safe: it holds no state but its settings.
 */
final class NfsVolumeDriver implements VolumeDriver {
    static final long TIMEOUT_SECONDS = 120;

    private final String mountCommand;
    private final String umountCommand;
    private final Optional<String> options;
    private final MountTable mounts;

    NfsVolumeDriver(String mountCommand, String umountCommand, Optional<String> options, MountTable mounts) {
        this.mountCommand = requireNonNull(mountCommand, "mountCommand");
        this.umountCommand = requireNonNull(umountCommand, "umountCommand");
        this.options = requireNonNull(options, "options");
        this.mounts = requireNonNull(mounts, "mounts");
    }

    @Override
    public Set<String> kinds() {
        return Set.of("nfs");
    }

    @Override
    public void mount(VolumeMountRequest request) throws ProviderException {
        List<String> command = mountCommand(request);
        if (isMountPoint(request.target())) {
            return;
        }
        run(command, "mount failed");
    }

    /** The helper's command line for the request; rejects what the helper could misread. */
    List<String> mountCommand(VolumeMountRequest request) throws ProviderException {
        if (!request.kind().equals("nfs")) {
            throw new ProviderException(
                    ErrorCode.UNSUPPORTED,
                    "the nfs volume driver does not mount volumes of kind " + request.kind() + " (volume "
                            + request.volumeName() + ")");
        }
        String server = request.source().getOrDefault("server", "");
        String path = request.source().getOrDefault("path", "");
        if (server.isBlank() || server.startsWith("-") || server.matches(".*\\s.*")) {
            throw new ProviderException(
                    ErrorCode.INVALID,
                    "nfs volume " + request.volumeName() + ": server '" + server + "' is not a host name or address");
        }
        if (!path.startsWith("/")) {
            throw new ProviderException(
                    ErrorCode.INVALID,
                    "nfs volume " + request.volumeName() + ": path '" + path + "' must be an absolute path");
        }
        List<String> command = new ArrayList<>(List.of(mountCommand, "-t", "nfs"));
        List<String> all = new ArrayList<>();
        if (request.readOnly()) {
            all.add("ro");
        }
        options.ifPresent(all::add);
        if (!all.isEmpty()) {
            command.add("-o");
            command.add(String.join(",", all));
        }
        // server:path; an IPv6 address goes in brackets, as mount.nfs reads it.
        command.add((server.contains(":") && !server.startsWith("[") ? "[" + server + "]" : server) + ":" + path);
        command.add(request.target().toString());
        return command;
    }

    @Override
    public void unmount(Path target) throws ProviderException {
        if (!isMountPoint(target)) {
            return;
        }
        try {
            run(List.of(umountCommand, target.toString()), "unmount failed");
        } catch (ProviderException e) {
            if (isMountPoint(target)) {
                throw e;
            } // else unmounted meanwhile
        }
    }

    private boolean isMountPoint(Path target) throws ProviderException {
        try {
            return mounts.isMountPoint(target);
        } catch (IOException e) {
            throw new ProviderException(ErrorCode.INTERNAL, "cannot read the mount table: " + e.getMessage(), e);
        }
    }

    /** Runs the helper; a non-zero exit is an exception carrying its output, as the kubelet reports it. */
    private static void run(List<String> command, String failed) throws ProviderException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE, "cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        String output;
        try {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ProviderException(
                        ErrorCode.UNAVAILABLE,
                        String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ProviderException(ErrorCode.INTERNAL, "cannot read the output of " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new ProviderException(ErrorCode.UNAVAILABLE, "interrupted: " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE,
                    failed + ": exit status " + process.exitValue() + "\nMounting command: " + command.getFirst()
                            + "\nMounting arguments: " + String.join(" ", command.subList(1, command.size()))
                            + "\nOutput: " + output);
        }
    }

    @Override
    public void close() {}
}

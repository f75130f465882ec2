package dev.petlet.core.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link Mounter} with mount(8) and umount(8); reads mount points from {@code /proc/self/mountinfo}. */
final class SystemMounter implements Mounter {
    @Override
    public void tmpfs(Path directory, Long sizeBytes) throws IOException {
        if (mountPointsUnder(directory).contains(directory)) {
            return;
        }
        String options = "mode=0755" + (sizeBytes == null ? "" : ",size=" + sizeBytes);
        run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", directory.toString()));
    }

    @Override
    public List<Path> mountPointsUnder(Path directory) throws IOException {
        List<Path> mountPoints = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
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

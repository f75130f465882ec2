package dev.petlet.core.volume;

import dev.petlet.core.env.VariableExpansion;
import dev.petlet.spi.runtime.Mount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A container's {@code volumeMounts} as bind mounts: {@code subPath} and {@code subPathExpr}
 * (expanded with the container's environment) resolved inside the volume, created as a directory
 * when missing, never escaping it; API-backed volumes always read-only, as the kubelet mounts them.
 * A subPath into a configMap or secret is bound to the file itself, so it does not follow updates.
 */
public final class VolumeMounts {
    private VolumeMounts() {}

    /**
     * @param hostPaths the ready volumes' host paths; mounts of volumes not among them are left out
     */
    public static List<Mount> of(Pod pod, Container container, Map<String, Path> hostPaths, Map<String, String> env)
            throws VolumeError {
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount mount :
                Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
            Path volume = hostPaths.get(mount.getName());
            if (volume == null) {
                continue;
            }
            String subPath = subPath(mount, env);
            Path source = volume;
            if (!subPath.isEmpty()) {
                source = inside(volume, subPath, mount, container);
            }
            boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly())
                    || volume(pod, mount.getName()).map(PodVolumes::isApiData).orElse(false);
            mounts.add(new Mount(source.toString(), mount.getMountPath(), readOnly));
        }
        return mounts;
    }

    static String subPath(VolumeMount mount, Map<String, String> env) throws VolumeError {
        String expression = mount.getSubPathExpr();
        if (expression == null || expression.isEmpty()) {
            return Optional.ofNullable(mount.getSubPath()).orElse("");
        }
        TreeSet<String> missing = new TreeSet<>();
        int from = 0;
        while ((from = expression.indexOf("$(", from)) >= 0) {
            int close = expression.indexOf(')', from);
            if (close < 0) {
                break;
            }
            String name = expression.substring(from + 2, close);
            if (env.getOrDefault(name, "").isEmpty() && (from == 0 || expression.charAt(from - 1) != '$')) {
                missing.add(name);
            }
            from = close;
        }
        if (!missing.isEmpty()) {
            throw new VolumeError("missing value for " + String.join(", ", missing));
        }
        return VariableExpansion.expand(expression, env);
    }

    private static Path inside(Path volume, String subPath, VolumeMount mount, Container container) throws VolumeError {
        String what = "failed to prepare subPath for volumeMount \"" + mount.getName() + "\" of container \""
                + container.getName() + "\": ";
        if (subPath.startsWith("/")) {
            throw new VolumeError(what + "subPath " + subPath + " must be a relative path");
        }
        for (String part : subPath.split("/")) {
            if (part.equals("..")) {
                throw new VolumeError(what + "subPath " + subPath + " must not contain '..'");
            }
        }
        try {
            Path root = volume.toRealPath();
            Path path = volume.resolve(subPath).normalize();
            if (!Files.exists(path)) {
                Files.createDirectories(path);
            }
            Path real = path.toRealPath();
            if (!real.startsWith(root)) {
                throw new VolumeError(what + "subPath " + subPath + " leads outside the volume");
            }
            return real;
        } catch (IOException e) {
            throw new VolumeError(what + e.getMessage());
        }
    }

    private static Optional<Volume> volume(Pod pod, String name) {
        return Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of()).stream()
                .filter(v -> v.getName().equals(name))
                .findFirst();
    }
}

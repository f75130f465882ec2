package dev.petlet.spi.volume;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * One pod volume to mount. Immutable.
 *
 * @param podUid the pod's UID
 * @param podNamespace the pod's namespace
 * @param podName the pod's name
 * @param volumeName the volume's name in the pod spec
 * @param kind the pod-spec volume kind, e.g. {@code "nfs"}
 * @param source the kind's source attributes as strings, e.g. {@code server} and {@code path} for nfs
 * @param target the existing directory to mount it on
 * @param readOnly whether to mount it read-only
 */
public record VolumeMountRequest(
        String podUid,
        String podNamespace,
        String podName,
        String volumeName,
        String kind,
        Map<String, String> source,
        Path target,
        boolean readOnly) {
    public VolumeMountRequest {
        requireNonNull(podUid, "podUid");
        requireNonNull(podNamespace, "podNamespace");
        requireNonNull(podName, "podName");
        requireNonNull(volumeName, "volumeName");
        requireNonNull(kind, "kind");
        source = Map.copyOf(requireNonNull(source, "source"));
        requireNonNull(target, "target");
    }
}

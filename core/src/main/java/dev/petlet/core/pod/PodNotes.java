package dev.petlet.core.pod;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a pod's worker remembers between passes and cannot read back from the runtime: why a
 * container could not start (image pull, config or create errors), the host paths of its
 * volumes, and whether unsupported volumes were reported. Lost on restart, as the kubelet's is.
 */
final class PodNotes {
    private final Map<String, WaitingReason> waiting = new ConcurrentHashMap<>();
    private volatile Map<String, Path> volumeHostPaths = Map.of();
    private volatile boolean unsupportedVolumesReported;
    private volatile boolean volumesReady;

    void waiting(String container, WaitingReason reason) {
        waiting.put(container, reason);
    }

    void clear(String container) {
        waiting.remove(container);
    }

    Map<String, WaitingReason> waiting() {
        return Map.copyOf(waiting);
    }

    Map<String, Path> volumeHostPaths() {
        return volumeHostPaths;
    }

    void volumeHostPaths(Map<String, Path> paths) {
        volumeHostPaths = Map.copyOf(paths);
    }

    /** Whether every volume petlet provides is set up: no sandbox or container starts before. */
    boolean volumesReady() {
        return volumesReady;
    }

    void volumesReady(boolean ready) {
        volumesReady = ready;
    }

    /** True the first time only. */
    boolean reportUnsupportedVolumesOnce() {
        if (unsupportedVolumesReported) {
            return false;
        }
        unsupportedVolumesReported = true;
        return true;
    }
}

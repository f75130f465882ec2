package dev.petlet.core.pod;

import java.nio.file.Path;

/** Where petlet keeps a pod's files on the host: {@code <stateDir>/pods/<uid>/…}, as the kubelet does. */
record PodDirectories(Path root) {
    Path pod(String uid) {
        return root.resolve(uid);
    }

    Path emptyDir(String uid, String volume) {
        return pod(uid).resolve("volumes").resolve("empty-dir").resolve(volume);
    }

    /** The host file bind-mounted at a container's terminationMessagePath; one per restart. */
    Path terminationLog(String uid, String container, int attempt) {
        return pod(uid).resolve("containers").resolve(container).resolve(attempt + "-termination-log");
    }
}

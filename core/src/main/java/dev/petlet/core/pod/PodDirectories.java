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

    /** The kubelet-managed hosts file mounted at every container's {@code /etc/hosts}. */
    Path etcHosts(String uid) {
        return pod(uid).resolve("etc-hosts");
    }

    /** The resolver configuration mounted at every container's {@code /etc/resolv.conf}. */
    Path resolvConf(String uid) {
        return pod(uid).resolve("resolv.conf");
    }

    /** Where {@code Localhost} seccomp profiles live: {@code <stateDir>/seccomp}, as the kubelet's. */
    Path seccompProfiles() {
        return root.toAbsolutePath().getParent().resolve("seccomp");
    }

    /**
     * The file a container's output goes to in the CRI log format, one per restart, as the kubelet's {@code
     * <restartCount>.log}. petlet creates it before the runtime opens it, so it stays petlet's to read even
     * when the runtime writes as root and petlet runs unprivileged.
     */
    Path containerLog(String uid, String container, int attempt) {
        return pod(uid).toAbsolutePath()
                .resolve("containers")
                .resolve(container)
                .resolve(attempt + ".log");
    }

    /** The host file bind-mounted at a container's terminationMessagePath; one per restart. */
    Path terminationLog(String uid, String container, int attempt) {
        return pod(uid).resolve("containers").resolve(container).resolve(attempt + "-termination-log");
    }
}

package dev.petlet.sandbox;

import static java.util.Objects.requireNonNull;

import dev.petlet.sandbox.binaries.ResolverOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything that shapes one sandbox.
 *
 * @param stateDirectory where PKI, etcd data, kubeconfigs, logs and pid files live
 * @param ports the ports to listen on
 * @param binaries how to find or obtain the control-plane binaries
 * @param timeout stop by itself after this long, if present
 * @param clusterSigningDuration lifetime of certificates the controller-manager signs for CSRs
 * @param requireRoot refuse to start unless running as root (the default for users)
 * @param node how to run this machine as the cluster's node; empty runs the control plane alone
 */
public record SandboxOptions(
        Path stateDirectory,
        SandboxPorts ports,
        ResolverOptions binaries,
        Optional<Duration> timeout,
        Duration clusterSigningDuration,
        boolean requireRoot,
        Optional<SandboxNode> node) {

    /** Where a root user's sandbox keeps its state unless told otherwise. */
    public static final Path DEFAULT_STATE_DIRECTORY = Path.of("/var/lib/petlet/sandbox");

    public SandboxOptions {
        requireNonNull(stateDirectory, "stateDirectory");
        requireNonNull(ports, "ports");
        requireNonNull(binaries, "binaries");
        requireNonNull(timeout, "timeout");
        requireNonNull(clusterSigningDuration, "clusterSigningDuration");
        requireNonNull(node, "node");
        stateDirectory = stateDirectory.toAbsolutePath().normalize();
    }
}

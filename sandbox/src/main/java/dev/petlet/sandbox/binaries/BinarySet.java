package dev.petlet.sandbox.binaries;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * The four control-plane executables for one Kubernetes version, and how they were found.
 *
 * @param kubernetesVersion the version they were resolved for, such as {@code v1.33.13}
 * @param source how they were obtained: {@value #SOURCE_BIN_DIR}, {@value #SOURCE_PATH},
 *     {@value #SOURCE_CACHE}, {@value #SOURCE_DOWNLOAD} or {@value #SOURCE_GO_BUILD}
 */
public record BinarySet(
        String kubernetesVersion,
        Path etcd,
        Path kubeApiserver,
        Path kubeControllerManager,
        Path kubeScheduler,
        String source) {
    public static final String SOURCE_BIN_DIR = "bin-dir";
    public static final String SOURCE_PATH = "PATH";
    public static final String SOURCE_CACHE = "cache";
    public static final String SOURCE_DOWNLOAD = "download";
    public static final String SOURCE_GO_BUILD = "go build";

    public BinarySet {
        requireNonNull(kubernetesVersion, "kubernetesVersion");
        requireNonNull(etcd, "etcd");
        requireNonNull(kubeApiserver, "kubeApiserver");
        requireNonNull(kubeControllerManager, "kubeControllerManager");
        requireNonNull(kubeScheduler, "kubeScheduler");
        requireNonNull(source, "source");
    }

    static BinarySet of(String kubernetesVersion, Map<ControlPlaneBinary, Path> paths, String source) {
        return new BinarySet(
                kubernetesVersion,
                paths.get(ControlPlaneBinary.ETCD),
                paths.get(ControlPlaneBinary.KUBE_APISERVER),
                paths.get(ControlPlaneBinary.KUBE_CONTROLLER_MANAGER),
                paths.get(ControlPlaneBinary.KUBE_SCHEDULER),
                source);
    }

    static BinarySet inDirectory(String kubernetesVersion, Path directory, String source) {
        return new BinarySet(
                kubernetesVersion,
                directory.resolve(ControlPlaneBinary.ETCD.fileName()),
                directory.resolve(ControlPlaneBinary.KUBE_APISERVER.fileName()),
                directory.resolve(ControlPlaneBinary.KUBE_CONTROLLER_MANAGER.fileName()),
                directory.resolve(ControlPlaneBinary.KUBE_SCHEDULER.fileName()),
                source);
    }
}

package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What the machine and its container runtime look like at one moment: the input of the node status.
 *
 * @param cpuCount online CPUs
 * @param memoryBytes total memory
 * @param ephemeralStorageBytes size of the file system holding petlet's state directory
 * @param machineId {@code /etc/machine-id}; empty if the machine has none
 * @param bootId {@code /proc/sys/kernel/random/boot_id}; changes on every boot
 * @param systemUuid the firmware's product UUID, or the machine id where it cannot be read
 * @param kernelVersion as {@code uname -r}
 * @param osImage {@code PRETTY_NAME} from {@code /etc/os-release}
 * @param architecture in Go's spelling: {@code amd64}, {@code arm64}
 * @param containerRuntimeVersion e.g. {@code podman://4.3.1}
 * @param images the runtime's images, in any order
 * @param runtimeProblem why the runtime is not usable, if it is not; the node is NotReady while present
 * @param memoryPressure less memory available than the kubelet's default eviction threshold
 * @param diskPressure less disk available than the kubelet's default eviction threshold
 * @param pidPressure few process IDs left
 */
public record NodeFacts(
        int cpuCount,
        long memoryBytes,
        long ephemeralStorageBytes,
        String machineId,
        String bootId,
        String systemUuid,
        String kernelVersion,
        String osImage,
        String architecture,
        String containerRuntimeVersion,
        List<ImageSummary> images,
        Optional<String> runtimeProblem,
        boolean memoryPressure,
        boolean diskPressure,
        boolean pidPressure) {

    public NodeFacts {
        requireNonNull(machineId, "machineId");
        requireNonNull(bootId, "bootId");
        requireNonNull(systemUuid, "systemUuid");
        requireNonNull(kernelVersion, "kernelVersion");
        requireNonNull(osImage, "osImage");
        requireNonNull(architecture, "architecture");
        requireNonNull(containerRuntimeVersion, "containerRuntimeVersion");
        images = List.copyOf(requireNonNull(images, "images"));
        requireNonNull(runtimeProblem, "runtimeProblem");
    }
}

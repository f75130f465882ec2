package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.Mount;
import dev.petlet.spi.runtime.RuntimeLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a pod's container spec into the runtime's already-resolved {@link ContainerConfig}. */
final class ContainerConfigFactory {
    private final PodDirectories directories;

    ContainerConfigFactory(PodDirectories directories) {
        this.directories = requireNonNull(directories, "directories");
    }

    /**
     * @param volumeHostPaths host paths of the pod's volumes that petlet set up, by volume name
     */
    ContainerConfig create(
            Pod pod, Container container, int attempt, Map<String, Path> volumeHostPaths, AgentLabel agent)
            throws ContainerConfigError {
        return create(pod, container, attempt, volumeHostPaths, agent, null);
    }

    /**
     * @param pidTargetContainerId nullable: the runtime id of the container whose PID namespace this one joins
     *     (an ephemeral container's target)
     */
    ContainerConfig create(
            Pod pod,
            Container container,
            int attempt,
            Map<String, Path> volumeHostPaths,
            AgentLabel agent,
            String pidTargetContainerId)
            throws ContainerConfigError {
        String uid = pod.getMetadata().getUid();
        ContainerConfig.Builder config = ContainerConfig.builder(
                        container.getName(), ImageSpec.of(container.getImage()))
                .attempt(attempt)
                .command(Optional.ofNullable(container.getCommand()).orElse(List.of()))
                .args(Optional.ofNullable(container.getArgs()).orElse(List.of()))
                .tty(Boolean.TRUE.equals(container.getTty()))
                .stdin(Boolean.TRUE.equals(container.getStdin()))
                .stdinOnce(Boolean.TRUE.equals(container.getStdinOnce()))
                .label(RuntimeLabels.POD_UID, uid)
                .label(RuntimeLabels.POD_NAMESPACE, pod.getMetadata().getNamespace())
                .label(RuntimeLabels.POD_NAME, pod.getMetadata().getName())
                .label(RuntimeLabels.CONTAINER_NAME, container.getName())
                .label(RuntimeLabels.CONTAINER_RESTART_COUNT, Integer.toString(attempt))
                .label(AgentLabel.KEY, agent.value());
        if (container.getWorkingDir() != null && !container.getWorkingDir().isEmpty()) {
            config.workingDirectory(container.getWorkingDir());
        }
        for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            if (variable.getValueFrom() != null) {
                throw new ContainerConfigError("environment variable " + variable.getName() + " of container "
                        + container.getName() + " uses valueFrom, which petlet does not support yet");
            }
            config.environment(
                    variable.getName(), Optional.ofNullable(variable.getValue()).orElse(""));
        }
        if (container.getEnvFrom() != null && !container.getEnvFrom().isEmpty()) {
            throw new ContainerConfigError(
                    "container " + container.getName() + " uses envFrom, which petlet does not support yet");
        }
        limit(container, "cpu")
                .ifPresent(cpu -> config.cpuLimitMillicores(
                        Math.max(1, cpu.multiply(BigDecimal.valueOf(1000)).longValue())));
        limit(container, "memory").ifPresent(memory -> config.memoryLimitBytes(memory.longValue()));
        config.security(
                SecurityContexts.container(pod, container, directories.seccompProfiles(), pidTargetContainerId));
        config.cpuShares(ContainerResources.cpuShares(container));
        for (VolumeMount mount :
                Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
            Path hostPath = volumeHostPaths.get(mount.getName());
            if (hostPath == null) {
                continue; // a volume petlet does not set up yet: reported once per pod as FailedMount
            }
            if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
                hostPath = hostPath.resolve(mount.getSubPath()).normalize();
            }
            config.mount(
                    new Mount(hostPath.toString(), mount.getMountPath(), Boolean.TRUE.equals(mount.getReadOnly())));
        }
        mountUnlessMounted(config, container, directories.etcHosts(uid), "/etc/hosts");
        mountUnlessMounted(config, container, directories.resolvConf(uid), "/etc/resolv.conf");
        String terminationMessagePath = Optional.ofNullable(container.getTerminationMessagePath())
                .filter(p -> !p.isEmpty())
                .orElse("/dev/termination-log");
        config.mount(new Mount(
                directories.terminationLog(uid, container.getName(), attempt).toString(),
                terminationMessagePath,
                false));
        return config.build();
    }

    /** The kubelet's managed files, written when the sandbox was made; a container's own mount there wins. */
    private static void mountUnlessMounted(ContainerConfig.Builder config, Container container, Path file, String at) {
        boolean mounted = Optional.ofNullable(container.getVolumeMounts()).orElse(List.of()).stream()
                .anyMatch(m -> at.equals(m.getMountPath()));
        if (!mounted && java.nio.file.Files.exists(file)) {
            config.mount(new Mount(file.toString(), at, false));
        }
    }

    /** Which volumes of the pod petlet can provide as host directories, and which it cannot yet. */
    static boolean isSupported(Volume volume) {
        return volume.getEmptyDir() != null || volume.getHostPath() != null;
    }

    private static Optional<BigDecimal> limit(Container container, String resource) {
        if (container.getResources() == null || container.getResources().getLimits() == null) {
            return Optional.empty();
        }
        Quantity quantity = container.getResources().getLimits().get(resource);
        return quantity == null ? Optional.empty() : Optional.of(quantity.getNumericalAmount());
    }
}

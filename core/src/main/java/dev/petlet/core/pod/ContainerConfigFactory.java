package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.env.ContainerEnvironment;
import dev.petlet.core.env.EnvironmentResolver;
import dev.petlet.core.env.ObjectSource;
import dev.petlet.core.env.PodFacts;
import dev.petlet.core.env.ReferenceError;
import dev.petlet.core.volume.VolumeError;
import dev.petlet.core.volume.VolumeMounts;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.Mount;
import dev.petlet.spi.runtime.RuntimeLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Turns a pod's container spec into the runtime's already-resolved {@link ContainerConfig}. */
final class ContainerConfigFactory {
    private static final ObjectSource NO_OBJECTS = new ObjectSource() {
        @Override
        public Optional<io.fabric8.kubernetes.api.model.Secret> secret(String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<io.fabric8.kubernetes.api.model.ConfigMap> configMap(String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public List<io.fabric8.kubernetes.api.model.Service> services(String namespace) {
            return List.of();
        }
    };

    private final PodDirectories directories;
    private final EnvironmentResolver environments;
    private final Function<Pod, PodFacts> facts;
    private final PodEvents events;

    /** Without API objects or node facts: for tests of what does not need them. */
    ContainerConfigFactory(PodDirectories directories) {
        this(
                directories,
                new EnvironmentResolver(NO_OBJECTS),
                pod -> new PodFacts(List.of(), List.of(), Map.of(), Optional.empty()),
                PodEvents.NOOP);
    }

    ContainerConfigFactory(
            PodDirectories directories,
            EnvironmentResolver environments,
            Function<Pod, PodFacts> facts,
            PodEvents events) {
        this.directories = requireNonNull(directories, "directories");
        this.environments = requireNonNull(environments, "environments");
        this.facts = requireNonNull(facts, "facts");
        this.events = requireNonNull(events, "events");
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
        ContainerEnvironment environment;
        List<Mount> mounts;
        try {
            environment = environments.resolve(pod, container, facts.apply(pod));
            mounts = VolumeMounts.of(pod, container, volumeHostPaths, environment.variables());
        } catch (ReferenceError | VolumeError e) {
            throw new ContainerConfigError(e.getMessage());
        }
        for (String warning : environment.warnings()) {
            events.warning(
                    pod, PodEvents.containerPath(container.getName()), "InvalidEnvironmentVariableNames", warning);
        }
        ContainerConfig.Builder config = ContainerConfig.builder(
                        container.getName(), ImageSpec.of(container.getImage()))
                .attempt(attempt)
                .command(environment.command())
                .args(environment.args())
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
        environment.variables().forEach(config::environment);
        limit(container, "cpu")
                .ifPresent(cpu -> config.cpuLimitMillicores(
                        Math.max(1, cpu.multiply(BigDecimal.valueOf(1000)).longValue())));
        limit(container, "memory").ifPresent(memory -> config.memoryLimitBytes(memory.longValue()));
        config.security(
                SecurityContexts.container(pod, container, directories.seccompProfiles(), pidTargetContainerId));
        config.cpuShares(ContainerResources.cpuShares(container));
        mounts.forEach(config::mount);
        mountUnlessMounted(config, container, directories.etcHosts(uid), "/etc/hosts");
        mountUnlessMounted(config, container, directories.resolvConf(uid), "/etc/resolv.conf");
        String terminationMessagePath = Optional.ofNullable(container.getTerminationMessagePath())
                .filter(p -> !p.isEmpty())
                .orElse("/dev/termination-log");
        config.mount(new Mount(
                directories.terminationLog(uid, container.getName(), attempt).toString(),
                terminationMessagePath,
                false));
        config.logPath(
                directories.containerLog(uid, container.getName(), attempt).toString());
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

    private static Optional<BigDecimal> limit(Container container, String resource) {
        if (container.getResources() == null || container.getResources().getLimits() == null) {
            return Optional.empty();
        }
        Quantity quantity = container.getResources().getLimits().get(resource);
        return quantity == null ? Optional.empty() : Optional.of(quantity.getNumericalAmount());
    }
}

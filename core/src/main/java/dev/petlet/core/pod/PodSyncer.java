package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PortMapping;
import dev.petlet.spi.runtime.Protocol;
import dev.petlet.spi.runtime.RuntimeLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effects of a worker pass: observes a pod in the runtime and carries out a {@link PodPlan},
 * reporting the kubelet's events. Failures become waiting reasons in the pod's notes, never
 * exceptions, so one bad container does not stop the others.
 */
final class PodSyncer {
    private static final Logger log = LoggerFactory.getLogger(PodSyncer.class);

    private final ContainerRuntime runtime;
    private final ImagePuller images;
    private final ContainerConfigFactory configs;
    private final PodDirectories directories;
    private final RestartBackoff backoff;
    private final PodEvents events;
    private final AgentLabel agent;
    private final ContainerHooks hooks;

    PodSyncer(
            ContainerRuntime runtime,
            ImagePuller images,
            ContainerConfigFactory configs,
            PodDirectories directories,
            RestartBackoff backoff,
            PodEvents events,
            AgentLabel agent,
            ContainerHooks hooks) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.images = requireNonNull(images, "images");
        this.configs = requireNonNull(configs, "configs");
        this.directories = requireNonNull(directories, "directories");
        this.backoff = requireNonNull(backoff, "backoff");
        this.events = requireNonNull(events, "events");
        this.agent = requireNonNull(agent, "agent");
        this.hooks = requireNonNull(hooks, "hooks");
    }

    /** Everything the runtime holds for the pod UID, found by label alone. */
    ObservedPod observe(String uid) throws ProviderException {
        Map<String, String> byPod = Map.of(RuntimeLabels.POD_UID, uid, AgentLabel.KEY, agent.value());
        List<PodSandboxStatus> sandboxes = new ArrayList<>();
        for (var summary : runtime.listPodSandboxes(PodSandboxFilter.withLabels(byPod))) {
            sandboxes.add(runtime.podSandboxStatus(summary.id()));
        }
        List<ContainerStatus> containers = new ArrayList<>();
        for (var summary : runtime.listContainers(ContainerFilter.withLabels(byPod))) {
            containers.add(runtime.containerStatus(summary.id()));
        }
        return new ObservedPod(sandboxes, containers);
    }

    /** Carries out the plan; updates {@code notes} (waiting reasons by container) as containers fail or start. */
    void execute(Pod pod, PodPlan plan, ObservedPod observed, PodNotes notes) {
        String sandboxId = observed.readySandbox().map(PodSandboxStatus::id).orElse(null);
        List<PodAction> actions = plan.actions();
        for (int i = 0; i < actions.size(); i++) {
            PodAction action = actions.get(i);
            try {
                switch (action) {
                    case PodAction.KillContainer kill -> {
                        // Consecutive kills stop together (each runs its preStop hook first),
                        // except sidecars, which stop one by one after the app containers.
                        List<PodAction.KillContainer> kills = new ArrayList<>();
                        while (i < actions.size() && actions.get(i) instanceof PodAction.KillContainer next) {
                            kills.add(next);
                            i++;
                        }
                        i--;
                        hooks.kill(pod, kills, observed);
                    }
                    case PodAction.StopSandbox stop -> runtime.stopPodSandbox(stop.sandboxId());
                    case PodAction.RemoveContainer remove -> runtime.removeContainer(remove.containerId());
                    case PodAction.CreateSandbox create -> {
                        if (create.attempt() > 0) {
                            events.normal(
                                    pod,
                                    null,
                                    "SandboxChanged",
                                    "Pod sandbox changed, it will be killed and re-created.");
                        }
                        sandboxId = createSandbox(pod, create.attempt(), notes);
                        if (sandboxId == null) {
                            return; // containers cannot start without it; the next pass retries
                        }
                    }
                    case PodAction.StartContainer start -> {
                        if (sandboxId != null) {
                            startContainer(pod, sandboxId, start, notes);
                        }
                    }
                    case PodAction.StartCreated created -> {
                        runtime.startContainer(created.containerId());
                        events.normal(
                                pod,
                                ContainerHooks.path(pod, created.name()),
                                "Started",
                                "Started container " + created.name());
                        notes.clear(created.name());
                    }
                }
            } catch (ProviderException e) {
                log.warn(
                        "pod {}/{}: {} failed: {}",
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(),
                        action,
                        e.getMessage());
                events.warning(pod, null, "FailedSync", "error syncing pod: " + e.getMessage());
            }
        }
    }

    private String createSandbox(Pod pod, int attempt, PodNotes notes) {
        try {
            prepareVolumes(pod, notes);
            return runtime.runPodSandbox(sandboxConfig(pod, attempt, agent));
        } catch (ProviderException | IOException e) {
            events.warning(pod, null, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.getMessage());
            return null;
        }
    }

    private void startContainer(Pod pod, String sandboxId, PodAction.StartContainer start, PodNotes notes) {
        Container container = InitContainerPlanner.spec(pod, start.name()).orElseThrow();
        String path = ContainerHooks.path(pod, container.getName());
        try {
            images.ensure(pod, container);
        } catch (ImagePullFailure e) {
            notes.waiting(container.getName(), e.waiting());
            return;
        }
        ContainerConfig config;
        try {
            Files.createDirectories(directories
                    .terminationLog(pod.getMetadata().getUid(), container.getName(), 0)
                    .getParent());
            Path terminationLog =
                    directories.terminationLog(pod.getMetadata().getUid(), container.getName(), start.attempt());
            Files.deleteIfExists(terminationLog);
            Files.createFile(
                    terminationLog, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
            config = configs.create(pod, container, start.attempt(), notes.volumeHostPaths(), agent);
        } catch (ContainerConfigError | IOException e) {
            events.warning(pod, path, "Failed", "Error: " + e.getMessage());
            notes.waiting(
                    container.getName(),
                    new WaitingReason(WaitingReason.CREATE_CONTAINER_CONFIG_ERROR, e.getMessage()));
            return;
        }
        String containerId;
        try {
            containerId = runtime.createContainer(sandboxId, config, sandboxConfig(pod, 0, agent));
        } catch (ProviderException e) {
            events.warning(pod, path, "Failed", "Error: " + e.getMessage());
            notes.waiting(container.getName(), new WaitingReason(WaitingReason.CREATE_CONTAINER_ERROR, e.getMessage()));
            return;
        }
        events.normal(pod, path, "Created", "Created container: " + container.getName());
        try {
            runtime.startContainer(containerId);
        } catch (ProviderException e) {
            events.warning(pod, path, "Failed", "Error: " + e.getMessage());
            notes.waiting(container.getName(), new WaitingReason(WaitingReason.RUN_CONTAINER_ERROR, e.getMessage()));
            return;
        }
        if (start.attempt() > 0) {
            backoff.restarted(pod.getMetadata().getUid(), container.getName());
        }
        events.normal(pod, path, "Started", "Started container " + container.getName());
        notes.clear(container.getName());
        hooks.postStart(pod, container, containerId, sandboxId, notes);
    }

    /** emptyDir and hostPath volumes; others are not provided yet and are reported once. */
    private void prepareVolumes(Pod pod, PodNotes notes) throws IOException {
        String uid = pod.getMetadata().getUid();
        Map<String, Path> hostPaths = new HashMap<>();
        List<String> unsupported = new ArrayList<>();
        for (Volume volume : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
            if (volume.getEmptyDir() != null) {
                Path dir = Files.createDirectories(directories.emptyDir(uid, volume.getName()));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
                hostPaths.put(volume.getName(), dir);
            } else if (volume.getHostPath() != null) {
                hostPaths.put(volume.getName(), Path.of(volume.getHostPath().getPath()));
            } else {
                unsupported.add(volume.getName());
            }
        }
        notes.volumeHostPaths(hostPaths);
        if (!unsupported.isEmpty() && notes.reportUnsupportedVolumesOnce()) {
            events.warning(
                    pod,
                    null,
                    "FailedMount",
                    "petlet does not provide these volumes yet, so containers run " + "without them: "
                            + String.join(", ", unsupported));
        }
    }

    static PodSandboxConfig sandboxConfig(Pod pod, int attempt, AgentLabel agent) {
        var metadata = pod.getMetadata();
        String hostname = Optional.ofNullable(pod.getSpec().getHostname())
                .filter(h -> !h.isEmpty())
                .orElse(metadata.getName());
        PodSandboxConfig.Builder sandbox = PodSandboxConfig.builder(
                        metadata.getUid(), metadata.getNamespace(), metadata.getName())
                .attempt(attempt)
                .hostname(hostname.length() > 63 ? hostname.substring(0, 63) : hostname)
                .hostNetwork(Boolean.TRUE.equals(pod.getSpec().getHostNetwork()))
                .label(RuntimeLabels.POD_UID, metadata.getUid())
                .label(RuntimeLabels.POD_NAMESPACE, metadata.getNamespace())
                .label(RuntimeLabels.POD_NAME, metadata.getName())
                .label(AgentLabel.KEY, agent.value());
        for (Container container : pod.getSpec().getContainers()) {
            for (ContainerPort port : Optional.ofNullable(container.getPorts()).orElse(List.of())) {
                if (port.getHostPort() != null && port.getHostPort() > 0) {
                    Protocol protocol = Protocol.valueOf(
                            Optional.ofNullable(port.getProtocol()).orElse("TCP"));
                    sandbox.portMapping(
                            new PortMapping(protocol, port.getContainerPort(), port.getHostPort(), port.getHostIP()));
                }
            }
        }
        return sandbox.build();
    }
}

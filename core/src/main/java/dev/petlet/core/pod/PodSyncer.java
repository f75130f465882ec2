package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.FileTrees;
import dev.petlet.core.env.PodFacts;
import dev.petlet.core.volume.PodVolumes;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PortMapping;
import dev.petlet.spi.runtime.Protocol;
import dev.petlet.spi.runtime.RuntimeLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
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
    private final RuntimeRelist relist;
    private final PodSandboxFiles files;
    private final PodVolumes volumes;
    private final Function<Pod, PodFacts> facts;
    private final ContainerHooks hooks;
    private final SandboxAddresses addresses;

    PodSyncer(
            ContainerRuntime runtime,
            ImagePuller images,
            ContainerConfigFactory configs,
            PodDirectories directories,
            RestartBackoff backoff,
            PodEvents events,
            AgentLabel agent,
            RuntimeRelist relist,
            PodSandboxFiles files,
            PodVolumes volumes,
            Function<Pod, PodFacts> facts,
            ContainerHooks hooks,
            SandboxAddresses addresses) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.images = requireNonNull(images, "images");
        this.configs = requireNonNull(configs, "configs");
        this.directories = requireNonNull(directories, "directories");
        this.backoff = requireNonNull(backoff, "backoff");
        this.events = requireNonNull(events, "events");
        this.agent = requireNonNull(agent, "agent");
        this.relist = requireNonNull(relist, "relist");
        this.files = requireNonNull(files, "files");
        this.volumes = requireNonNull(volumes, "volumes");
        this.facts = requireNonNull(facts, "facts");
        this.hooks = requireNonNull(hooks, "hooks");
        this.addresses = requireNonNull(addresses, "addresses");
    }

    /**
     * Everything the runtime holds for the pod UID, found by label alone in the last listing
     * ({@link RuntimeRelist}); inspects only what changed since the pod's last pass ({@link ObservedStatuses}).
     */
    ObservedPod observe(String uid, ObservedStatuses known) throws ProviderException {
        RuntimeRelist.Snapshot listed = relist.latest();
        ObservedPod observed = known.observe(
                listed.listedAt(),
                listed.sandboxesOf(uid),
                listed.containersOf(uid),
                runtime::podSandboxStatus,
                runtime::containerStatus);
        addresses.observed(uid, observed);
        return observed;
    }

    /** The pod after a pass changed it: inspects only what the pass changed, without listing. */
    ObservedPod observe(String uid, ObservedStatuses known, RuntimeChanges changes) throws ProviderException {
        ObservedPod observed = known.refresh(changes, runtime::podSandboxStatus, runtime::containerStatus);
        addresses.observed(uid, observed);
        return observed;
    }

    /**
     * Removes the pod's sandboxes, with their containers (stopped already: this kills what still runs), and
     * containers outside them, as a deleted pod's last step before its API object goes.
     */
    void remove(ObservedPod observed) throws ProviderException {
        Set<String> sandboxIds = new HashSet<>();
        for (PodSandboxStatus sandbox : observed.sandboxes()) {
            runtime.removePodSandbox(sandbox.id());
            sandboxIds.add(sandbox.id());
        }
        for (ContainerStatus container : observed.containers()) {
            if (!sandboxIds.contains(container.sandboxId())) {
                runtime.removeContainer(container.id());
            }
        }
    }

    /**
     * Unmounts a deleted pod's volumes once nothing of it runs, as the kubelet, whose status manager deletes the
     * API object only when the pod's volumes are gone (so no mount outlives the pod when the agent stops right
     * after), and removes the pod's directory. A directory that cannot be removed yet (files a container made as
     * another user, for an unprivileged agent) does not hold the deletion back: the controller's clean-up tries
     * again. Idempotent.
     */
    void release(String uid) throws IOException {
        volumes.tearDown(uid);
        try {
            FileTrees.delete(directories.pod(uid));
        } catch (IOException e) {
            log.warn("pod uid {}: cannot remove its directory yet: {}", uid, e.getMessage());
        }
    }

    /**
     * Carries out the plan; updates {@code notes} (waiting reasons by container) as containers fail or start,
     * and {@code changes} with what it did to the runtime.
     */
    void execute(Pod pod, PodPlan plan, ObservedPod observed, PodNotes notes, RuntimeChanges changes) {
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
                        kills.forEach(k -> changes.container(k.containerId()));
                        hooks.kill(pod, kills, observed);
                    }
                    case PodAction.StopSandbox stop -> {
                        changes.sandbox(stop.sandboxId());
                        runtime.stopPodSandbox(stop.sandboxId());
                    }
                    case PodAction.RemoveContainer remove -> {
                        runtime.removeContainer(remove.containerId());
                        changes.removedContainer(remove.containerId());
                    }
                    case PodAction.CreateSandbox create -> {
                        if (create.attempt() > 0) {
                            events.normal(
                                    pod,
                                    null,
                                    "SandboxChanged",
                                    "Pod sandbox changed, it will be killed and re-created.");
                        }
                        sandboxId = createSandbox(pod, create.attempt(), notes, changes);
                        if (sandboxId == null) {
                            return; // containers cannot start without it; the next pass retries
                        }
                    }
                    case PodAction.StartContainer start -> {
                        if (sandboxId != null) {
                            startContainer(pod, sandboxId, start, notes, observed, changes);
                        }
                    }
                    case PodAction.StartCreated created -> {
                        changes.container(created.containerId());
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

    private String createSandbox(Pod pod, int attempt, PodNotes notes, RuntimeChanges changes) {
        if (!notes.volumesReady()) {
            return null; // FailedMount was reported; the next pass tries again
        }
        try {
            files.applyFsGroup(pod, notes.volumeHostPaths());
            String id = runtime.runPodSandbox(sandboxConfig(pod, attempt, agent, files.sandboxHostname(pod)));
            changes.sandbox(id);
            changes.sandboxRead(writeSandboxFiles(pod, id));
            return id;
        } catch (ProviderException | IOException | IllegalArgumentException e) {
            events.warning(pod, null, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.getMessage());
            return null;
        }
    }

    /**
     * The managed /etc/hosts (with the pod's IP) and resolv.conf that every container mounts.
     *
     * @return the new sandbox's status, read for its IPs
     */
    private PodSandboxStatus writeSandboxFiles(Pod pod, String sandboxId) throws ProviderException {
        PodSandboxStatus status = runtime.podSandboxStatus(sandboxId);
        List<String> ips = status.ipAddresses();
        addresses.set(pod.getMetadata().getUid(), ips);
        try {
            files.write(pod, ips).ifPresent(warning -> events.warning(pod, null, "MissingClusterDNS", warning));
        } catch (IOException e) {
            events.warning(
                    pod, null, "FailedCreatePodSandBox", "Failed to write the pod's hosts and resolv.conf: " + e);
        }
        return status;
    }

    private void startContainer(
            Pod pod,
            String sandboxId,
            PodAction.StartContainer start,
            PodNotes notes,
            ObservedPod observed,
            RuntimeChanges changes) {
        var ephemeral = EphemeralContainers.find(pod, start.name());
        Container container = ephemeral
                .map(EphemeralContainers::asContainer)
                .orElseGet(() -> InitContainerPlanner.spec(pod, start.name()).orElseThrow());
        String path = ContainerHooks.path(pod, container.getName());
        if (!notes.volumesReady()) {
            return; // the kubelet starts no container before the pod's volumes are mounted
        }
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
            emptyFile(
                    directories.terminationLog(pod.getMetadata().getUid(), container.getName(), start.attempt()),
                    "rw-rw-rw-");
            // The runtime appends to a log file that exists and keeps its owner: petlet can read it unprivileged.
            emptyFile(
                    directories.containerLog(pod.getMetadata().getUid(), container.getName(), start.attempt()),
                    "rw-------");
            String target = ephemeral.isPresent() ? pidTarget(pod, ephemeral.get(), observed) : null;
            config = configs.create(pod, container, start.attempt(), notes.volumeHostPaths(), agent, target);
            String imageUser =
                    SecurityContexts.checksImageUser(pod, container, config.security()) ? imageUser(container) : "";
            SecurityContexts.verifyRunAsNonRoot(pod, container, config.security(), imageUser);
        } catch (ContainerConfigError | IOException | ProviderException e) {
            events.warning(pod, path, "Failed", "Error: " + e.getMessage());
            notes.waiting(
                    container.getName(),
                    new WaitingReason(WaitingReason.CREATE_CONTAINER_CONFIG_ERROR, e.getMessage()));
            return;
        }
        String containerId;
        try {
            containerId = runtime.createContainer(sandboxId, config, sandboxConfig(pod, 0, agent));
            changes.container(containerId);
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

    /** The running target container of an ephemeral container, whose PID namespace it joins. */
    private static String pidTarget(
            Pod pod, io.fabric8.kubernetes.api.model.EphemeralContainer ephemeral, ObservedPod observed)
            throws ContainerConfigError {
        String target = ephemeral.getTargetContainerName();
        if (target == null || target.isEmpty()) {
            return null;
        }
        return observed.current(target)
                .filter(c -> c.state() == dev.petlet.spi.runtime.ContainerState.RUNNING)
                .map(ContainerStatus::id)
                .orElseThrow(() -> new ContainerConfigError("target container " + target + " of ephemeral container "
                        + ephemeral.getName() + " in pod " + SecurityContexts.describe(pod)
                        + " is not running"));
    }

    /** The image's configured user, for the runAsNonRoot check; the image is present, it was just ensured. */
    private String imageUser(Container container) throws ProviderException {
        return runtime.imageStatus(dev.petlet.spi.runtime.ImageSpec.of(container.getImage()))
                .map(dev.petlet.spi.runtime.ImageInfo::user)
                .orElse("");
    }

    /**
     * Sets up the pod's volumes and refreshes API-backed contents when due; reports each volume
     * that cannot be set up as FailedMount (the pod waits for it), and once the volumes of kinds
     * petlet does not provide (containers run without them).
     */
    void syncVolumes(Pod pod, PodNotes notes) {
        PodVolumes.Prepared prepared = volumes.setUp(pod, () -> facts.apply(pod));
        notes.volumeHostPaths(prepared.hostPaths());
        notes.volumesReady(prepared.ready());
        for (String failure : prepared.failures()) {
            events.warning(pod, null, "FailedMount", failure);
        }
        if (!prepared.unsupported().isEmpty() && notes.reportUnsupportedVolumesOnce()) {
            events.warning(
                    pod,
                    null,
                    "FailedMount",
                    "petlet does not provide these volumes yet, so containers run without them: "
                            + String.join(", ", prepared.unsupported()));
        }
    }

    static PodSandboxConfig sandboxConfig(Pod pod, int attempt, AgentLabel agent) {
        return sandboxConfig(pod, attempt, agent, HostsFile.hostname(pod));
    }

    static PodSandboxConfig sandboxConfig(Pod pod, int attempt, AgentLabel agent, String hostname) {
        var metadata = pod.getMetadata();
        PodSandboxConfig.Builder sandbox = PodSandboxConfig.builder(
                        metadata.getUid(), metadata.getNamespace(), metadata.getName())
                .attempt(attempt)
                .hostname(hostname)
                .hostNetwork(Boolean.TRUE.equals(pod.getSpec().getHostNetwork()))
                .linux(SecurityContexts.sandbox(pod))
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

    /** A new empty file with the permissions, replacing one a failed earlier try of the same start left. */
    private static void emptyFile(Path file, String permissions) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
    }
}

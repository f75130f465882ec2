package dev.petlet.core;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.event.EventRecorder;
import dev.petlet.core.event.EventType;
import dev.petlet.core.node.ContainerRuntimeInfo;
import dev.petlet.core.node.NodeController;
import dev.petlet.core.node.NodeFactsCollector;
import dev.petlet.core.node.NodeSettings;
import dev.petlet.core.pod.PodController;
import dev.petlet.core.pod.PodEvents;
import dev.petlet.core.pod.PodNetworkSettings;
import dev.petlet.core.server.KubeletServer;
import dev.petlet.core.server.KubeletServerSettings;
import dev.petlet.core.volume.VolumeDrivers;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: registers the node and keeps it alive, and runs the pods bound to it. It only
 * assembles: the node side lives in {@code node}, the pods in {@code pod}, events in {@code event}.
 * Stopping the agent leaves pods running; the next start re-adopts them.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final EventRecorder events;
    private final NodeController node;
    private final PodController pods;
    private final Optional<KubeletServer> server;

    private Agent(EventRecorder events, NodeController node, PodController pods, Optional<KubeletServer> server) {
        this.events = events;
        this.node = node;
        this.pods = pods;
        this.server = server;
    }

    /**
     * Starts the agent.
     *
     * @param client a client with the node's identity ({@code system:node:<name>}); not closed here
     * @param runtime the container runtime; not closed here
     * @param runtimeName the runtime's name, the scheme of container IDs ({@code podman://…})
     * @param stateDirectory where the agent keeps pod files
     * @param server how to serve the kubelet API (logs, exec, attach, port-forward); empty to not serve it
     */
    public static Agent start(
            KubernetesClient client,
            ContainerRuntime runtime,
            String runtimeName,
            NodeSettings settings,
            Path stateDirectory,
            Optional<KubeletServerSettings> server,
            Clock clock)
            throws ProviderException, IOException {
        return start(client, runtime, runtimeName, settings, PodNetworkSettings.DEFAULT, stateDirectory, server, clock);
    }

    /**
     * Starts the agent with pods' cluster DNS and domain.
     *
     * @param network what pods' resolv.conf and hosts files are made from
     */
    public static Agent start(
            KubernetesClient client,
            ContainerRuntime runtime,
            String runtimeName,
            NodeSettings settings,
            PodNetworkSettings network,
            Path stateDirectory,
            Optional<KubeletServerSettings> server,
            Clock clock)
            throws ProviderException, IOException {
        return start(
                client, runtime, runtimeName, settings, network, VolumeDrivers.NONE, stateDirectory, server, clock);
    }

    /**
     * Starts the agent with volume drivers.
     *
     * @param volumeDrivers what mounts volumes of driver kinds ({@code nfs}); not closed here
     */
    public static Agent start(
            KubernetesClient client,
            ContainerRuntime runtime,
            String runtimeName,
            NodeSettings settings,
            PodNetworkSettings network,
            VolumeDrivers volumeDrivers,
            Path stateDirectory,
            Optional<KubeletServerSettings> server,
            Clock clock)
            throws ProviderException, IOException {
        requireNonNull(client, "client");
        requireNonNull(network, "network");
        requireNonNull(runtime, "runtime");
        requireNonNull(settings, "settings");
        EventRecorder events = new EventRecorder(client, settings.nodeName(), clock);
        NodeController node = new NodeController(
                client,
                settings,
                new NodeFactsCollector(new ContainerRuntimeInfo(runtime), stateDirectory),
                events,
                clock);
        PodController pods = new PodController(
                client,
                runtime,
                runtimeName,
                settings.nodeName(),
                settings.internalIP(),
                stateDirectory,
                network,
                volumeDrivers,
                new RecordedPodEvents(events),
                clock);
        node.start();
        pods.start();
        KubeletServer api = null;
        if (server.isPresent()) {
            try {
                api = KubeletServer.start(
                        server.get(), client, runtime, pods::pods, pods.runtimeLabels(), stateDirectory, clock);
            } catch (IOException | RuntimeException e) {
                pods.close();
                node.close();
                events.close();
                throw e;
            }
            log.info("serving the kubelet API on port {}", api.port());
        }
        log.info("petlet {} runs node {}", PetletVersion.get(), settings.nodeName());
        return new Agent(events, node, pods, Optional.ofNullable(api));
    }

    /** The pods bound to this node, as last seen from the API. */
    public Collection<Pod> pods() {
        return pods.pods();
    }

    /** Stops and removes all of this agent's pods in the runtime, whatever the API says. */
    public void removeAllPodsFromRuntime() {
        pods.removeAllFromRuntime();
    }

    /** Stops watching pods (which keep running), reports the node NotReady, flushes events. */
    @Override
    public void close() {
        server.ifPresent(KubeletServer::close);
        pods.close();
        node.close();
        events.close();
    }

    private record RecordedPodEvents(EventRecorder events) implements PodEvents {
        @Override
        public void normal(Pod pod, String fieldPath, String reason, String message) {
            events.podEvent(pod, fieldPath, EventType.NORMAL, reason, message);
        }

        @Override
        public void warning(Pod pod, String fieldPath, String reason, String message) {
            events.podEvent(pod, fieldPath, EventType.WARNING, reason, message);
        }
    }
}

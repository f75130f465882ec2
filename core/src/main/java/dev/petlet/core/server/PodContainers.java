package dev.petlet.core.server;

import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerSummary;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Pure decisions that pick which runtime container a request means, with the kubelet's messages when there is
 * none.
 */
final class PodContainers {
    private static final Comparator<ContainerSummary> NEWEST_FIRST = Comparator.comparingInt(ContainerSummary::attempt)
            .thenComparing(ContainerSummary::createdAt)
            .reversed();

    private PodContainers() {}

    /** The desired pod with this namespace and name: 404 {@code pods "x" not found} otherwise. */
    static Pod pod(Collection<Pod> pods, String namespace, String name) throws RequestError {
        return pods.stream()
                .filter(p -> namespace.equals(p.getMetadata().getNamespace())
                        && name.equals(p.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> RequestError.notFound("pods \"" + name + "\" not found"));
    }

    /** Checks that the pod's spec has the container (regular, init or ephemeral): 404 otherwise. */
    static void requireInSpec(Pod pod, String container) throws RequestError {
        var spec = pod.getSpec();
        boolean found = spec != null
                && Stream.of(
                                names(spec.getContainers(), Container::getName),
                                names(spec.getInitContainers(), Container::getName),
                                names(spec.getEphemeralContainers(), EphemeralContainer::getName))
                        .flatMap(s -> s)
                        .anyMatch(container::equals);
        if (!found) {
            throw RequestError.notFound("container \"" + container + "\" not found in pod \""
                    + pod.getMetadata().getName() + "\"");
        }
    }

    /**
     * The container whose log to read: the newest instance, or with {@code previous} the one before it. Without
     * any instance the pod's status says why, as the kubelet words it.
     */
    static String forLogs(Pod pod, String container, List<ContainerSummary> instances, boolean previous)
            throws RequestError {
        String podName = pod.getMetadata().getName();
        List<ContainerSummary> newestFirst =
                instances.stream().sorted(NEWEST_FIRST).toList();
        if (previous) {
            if (newestFirst.size() < 2) {
                throw RequestError.badRequest(
                        "previous terminated container \"" + container + "\" in pod \"" + podName + "\" not found");
            }
            return newestFirst.get(1).id();
        }
        if (!newestFirst.isEmpty()) {
            return newestFirst.getFirst().id();
        }
        Optional<ContainerStatus> status = status(pod, container);
        if (status.isEmpty()) {
            throw RequestError.notFound("container \"" + container + "\" in pod \"" + podName + "\" is not available");
        }
        String waiting = "container \"" + container + "\" in pod \"" + podName + "\" is waiting to start";
        String reason = Optional.ofNullable(status.get().getState())
                .map(s -> s.getWaiting())
                .map(w -> w.getReason())
                .orElse(null);
        throw RequestError.badRequest(
                switch (reason == null ? "" : reason) {
                    case "" -> waiting + " - no logs yet";
                    case "ErrImagePull" -> waiting + ": image can't be pulled";
                    case "ImagePullBackOff" -> waiting + ": trying and failing to pull image";
                    default -> waiting + ": " + reason;
                });
    }

    /** The running instance of a container, for exec and attach. */
    static String running(Pod pod, String container, List<ContainerSummary> instances) throws RequestError {
        return instances.stream()
                .filter(c -> c.state() == ContainerState.RUNNING)
                .sorted(NEWEST_FIRST)
                .findFirst()
                .map(ContainerSummary::id)
                .orElseThrow(() -> RequestError.notFound("container \"" + container + "\" in pod \""
                        + pod.getMetadata().getName() + "\" is not running"));
    }

    /** Checks a UID given in the path against the pod's: 404 when the pod was replaced by one of the same name. */
    static void requireUid(Pod pod, String uid) throws RequestError {
        if (uid != null && !uid.equals(pod.getMetadata().getUid())) {
            throw RequestError.notFound("pod \"" + pod.getMetadata().getNamespace() + "/"
                    + pod.getMetadata().getName() + "\" with UID " + uid + " not found");
        }
    }

    private static Optional<ContainerStatus> status(Pod pod, String container) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        return Stream.of(
                        pod.getStatus().getContainerStatuses(),
                        pod.getStatus().getInitContainerStatuses(),
                        pod.getStatus().getEphemeralContainerStatuses())
                .filter(Objects::nonNull)
                .flatMap(List::stream)
                .filter(s -> container.equals(s.getName()))
                .findFirst();
    }

    private static <T> Stream<String> names(List<T> list, java.util.function.Function<T, String> name) {
        return list == null ? Stream.empty() : list.stream().map(name);
    }
}

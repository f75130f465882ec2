package dev.petlet.core.pod;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PodSandboxSummary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statuses of one pod's sandboxes and containers kept from one pass to the next, so a pass
 * inspects only what changed, as the kubelet's PLEG does: it relists every second and inspects
 * a container again only when the listing shows it in another state than before.
 *
 * <p>A pass starts from the last listing ({@link RuntimeRelist}), which may have begun before the
 * pod's previous pass changed the runtime. So what the pass itself did wins over an older listing:
 * what it created is kept until a listing that began after its creation leaves it out; what it
 * removed stays gone although an older listing still shows it; and a container the pass saw later
 * in its life (exited, where the listing says running) keeps that status, since the runtime never
 * restarts a container in place. Otherwise a status is reused only for an object the listing shows
 * in the same state the status was read in. What a status holds does not change while its state
 * stays the same: exit code, reason and finish time are set when the container exits, the start
 * time when it starts.
 *
 * <p>One per pod worker, used by its passes only, which run one at a time: not thread-safe.
 */
final class ObservedStatuses {
    /** Inspects one runtime object by id. */
    @FunctionalInterface
    interface Inspector<T> {
        T inspect(String id) throws ProviderException;
    }

    /** A status and when petlet learned that its object exists ({@link System#nanoTime}). */
    private record Known<T>(T status, long learnedAt) {}

    private Map<String, Known<PodSandboxStatus>> sandboxes = new LinkedHashMap<>();
    private Map<String, Known<ContainerStatus>> containers = new LinkedHashMap<>();
    /** Objects a pass removed, by when the removal returned: older listings may still show them. */
    private final Map<String, Long> removed = new HashMap<>();

    /**
     * The statuses of what the listing shows, read again from the runtime only for objects that
     * are new or in another state than when last read, with what passes did since it began.
     *
     * @param listedAt when the listing began ({@link System#nanoTime})
     */
    ObservedPod observe(
            long listedAt,
            List<PodSandboxSummary> listedSandboxes,
            List<ContainerSummary> listedContainers,
            Inspector<PodSandboxStatus> sandboxInspector,
            Inspector<ContainerStatus> containerInspector)
            throws ProviderException {
        removed.values().removeIf(at -> listedAt - at > 0); // a listing this new shows removals by itself
        Map<String, Known<PodSandboxStatus>> keptSandboxes = new LinkedHashMap<>();
        for (PodSandboxSummary listed : listedSandboxes) {
            if (removed.containsKey(listed.id())) {
                continue;
            }
            Known<PodSandboxStatus> known = sandboxes.get(listed.id());
            if (known == null || known.status().state() != listed.state()) {
                known = read(listed.id(), known == null ? listedAt : known.learnedAt(), sandboxInspector);
            }
            if (known != null) {
                keptSandboxes.put(listed.id(), known);
            }
        }
        Map<String, Known<ContainerStatus>> keptContainers = new LinkedHashMap<>();
        for (ContainerSummary listed : listedContainers) {
            if (removed.containsKey(listed.id())) {
                continue;
            }
            Known<ContainerStatus> known = containers.get(listed.id());
            if (known == null || !current(known.status().state(), listed.state())) {
                known = read(listed.id(), known == null ? listedAt : known.learnedAt(), containerInspector);
            }
            if (known != null) {
                keptContainers.put(listed.id(), known);
            }
        }
        // Created after the listing began: kept, it may not show them yet.
        sandboxes.forEach((id, known) -> {
            if (known.learnedAt() - listedAt > 0) {
                keptSandboxes.putIfAbsent(id, known);
            }
        });
        containers.forEach((id, known) -> {
            if (known.learnedAt() - listedAt > 0) {
                keptContainers.putIfAbsent(id, known);
            }
        });
        sandboxes = keptSandboxes;
        containers = keptContainers;
        return current();
    }

    /**
     * What a pass did, read back: inspects the objects it changed, keeps the statuses it read
     * anyway, forgets what it removed. Everything else stays as the pass began with it.
     */
    ObservedPod refresh(
            RuntimeChanges changes,
            Inspector<PodSandboxStatus> sandboxInspector,
            Inspector<ContainerStatus> containerInspector)
            throws ProviderException {
        long now = System.nanoTime();
        for (PodSandboxStatus status : changes.sandboxStatuses()) {
            Known<PodSandboxStatus> known = sandboxes.get(status.id());
            sandboxes.put(status.id(), new Known<>(status, known == null ? now : known.learnedAt()));
        }
        for (String id : changes.sandboxes()) {
            Known<PodSandboxStatus> known = sandboxes.get(id);
            Known<PodSandboxStatus> read = read(id, known == null ? now : known.learnedAt(), sandboxInspector);
            if (read == null) {
                forgetSandbox(id, now);
            } else {
                sandboxes.put(id, read);
            }
        }
        for (String id : changes.containers()) {
            Known<ContainerStatus> known = containers.get(id);
            Known<ContainerStatus> read = read(id, known == null ? now : known.learnedAt(), containerInspector);
            if (read == null) {
                forgetContainer(id, now);
            } else {
                containers.put(id, read);
            }
        }
        long removedAt = System.nanoTime();
        changes.removedContainers().forEach(id -> forgetContainer(id, removedAt));
        changes.removedSandboxes().forEach(id -> forgetSandbox(id, removedAt));
        return current();
    }

    /** What is known now. */
    ObservedPod current() {
        return new ObservedPod(
                sandboxes.values().stream().map(Known::status).toList(),
                containers.values().stream().map(Known::status).toList());
    }

    private void forgetContainer(String id, long at) {
        containers.remove(id);
        removed.put(id, at);
    }

    /** A removed sandbox takes its containers along. */
    private void forgetSandbox(String id, long at) {
        sandboxes.remove(id);
        removed.put(id, at);
        Set<String> inside = new HashSet<>();
        containers.forEach((containerId, known) -> {
            if (id.equals(known.status().sandboxId())) {
                inside.add(containerId);
            }
        });
        inside.forEach(containerId -> forgetContainer(containerId, at));
    }

    /** The object's status, or null if the runtime no longer has it. */
    private static <T> Known<T> read(String id, long learnedAt, Inspector<T> inspector) throws ProviderException {
        try {
            return new Known<>(inspector.inspect(id), learnedAt);
        } catch (ProviderException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Whether a status read in state {@code known} is current for a listing showing {@code listed}:
     * the same state, or a later one in the container's life (the listing is older than the status).
     * A container whose state is unknown is inspected on every pass until it is known.
     */
    private static boolean current(ContainerState known, ContainerState listed) {
        return known != ContainerState.UNKNOWN && listed != ContainerState.UNKNOWN && age(known) >= age(listed);
    }

    /** How far along its life a container in this state is: created, running, exited. */
    private static int age(ContainerState state) {
        return switch (state) {
            case CREATED -> 0;
            case RUNNING -> 1;
            case EXITED, UNKNOWN -> 2;
        };
    }
}

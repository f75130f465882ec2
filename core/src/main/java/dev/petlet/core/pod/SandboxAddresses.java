package dev.petlet.core.pod;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The addresses of each pod's ready sandbox as its worker last saw them, for the downward API
 * ({@code status.podIP} in environment variables and files). The kubelet hands a new container the
 * IPs of the sandbox status it just read; without this, every container start would list and
 * inspect the pod's sandboxes once more. Thread-safe.
 */
final class SandboxAddresses {
    private final Map<String, List<String>> byPodUid = new ConcurrentHashMap<>();

    /** Records what a pass observed: the ready sandbox's addresses, or none when no sandbox is ready. */
    void observed(String podUid, ObservedPod observed) {
        observed.readySandbox()
                .ifPresentOrElse(sandbox -> set(podUid, sandbox.ipAddresses()), () -> byPodUid.remove(podUid));
    }

    /** Records the addresses of a sandbox just created and started. */
    void set(String podUid, List<String> addresses) {
        if (addresses.isEmpty()) {
            byPodUid.remove(podUid);
        } else {
            byPodUid.put(podUid, List.copyOf(addresses));
        }
    }

    /** The addresses last seen, if the pod had a ready sandbox with an address. */
    Optional<List<String>> of(String podUid) {
        return Optional.ofNullable(byPodUid.get(podUid));
    }

    void forget(String podUid) {
        byPodUid.remove(podUid);
    }
}

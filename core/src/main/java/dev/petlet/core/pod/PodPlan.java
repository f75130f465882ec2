package dev.petlet.core.pod;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one worker pass will do for a pod, and what it tells the status.
 *
 * @param actions the runtime steps, in order
 * @param waiting containers held back on purpose (back-off), by container name
 * @param resyncAt when to look again even if nothing happens (a back-off ending)
 * @param stopping the pod is being torn down (deleted, past its deadline, or finished)
 * @param deadlineExceeded {@code activeDeadlineSeconds} has passed
 */
record PodPlan(
        List<PodAction> actions,
        Map<String, WaitingReason> waiting,
        Optional<Instant> resyncAt,
        boolean stopping,
        boolean deadlineExceeded) {
    PodPlan {
        actions = List.copyOf(actions);
        waiting = Map.copyOf(waiting);
    }
}

package dev.petlet.core.pod;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's container restart back-off: 10 s, doubling to 300 s, reset once a container ran
 * for 10 minutes. Kept in memory per pod UID and container name, as the kubelet keeps it.
 */
final class RestartBackoff {
    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAXIMUM = Duration.ofSeconds(300);
    static final Duration RESET_AFTER_RUNNING = Duration.ofMinutes(10);

    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();

    /** The delay before the next restart after {@code consecutive} back-to-back restarts. */
    static Duration delay(int consecutive) {
        Duration delay = INITIAL;
        for (int i = 0; i < consecutive && delay.compareTo(MAXIMUM) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAXIMUM) > 0 ? MAXIMUM : delay;
    }

    /**
     * When the container that exited may be restarted. A container that ran long enough starts
     * the sequence again.
     */
    Instant restartAllowedAt(String podUid, String container, Instant startedAt, Instant finishedAt) {
        String key = key(podUid, container);
        if (startedAt != null
                && finishedAt != null
                && Duration.between(startedAt, finishedAt).compareTo(RESET_AFTER_RUNNING) >= 0) {
            restarts.remove(key);
        }
        return finishedAt.plus(delay(restarts.getOrDefault(key, 0)));
    }

    /** Records a restart, lengthening the next delay. */
    void restarted(String podUid, String container) {
        restarts.merge(key(podUid, container), 1, Integer::sum);
    }

    /** Forgets a pod (deleted or finished). */
    void forget(String podUid) {
        restarts.keySet().removeIf(key -> key.startsWith(podUid + "/"));
    }

    private static String key(String podUid, String container) {
        return podUid + "/" + container;
    }
}

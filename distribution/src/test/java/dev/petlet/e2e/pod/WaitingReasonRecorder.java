package dev.petlet.e2e.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every waiting reason a pod's first container passes through, from a watch: a reason petlet shows only
 * for a moment (ErrImagePull before the next sync turns it into ImagePullBackOff) would slip between polls.
 */
final class WaitingReasonRecorder implements AutoCloseable {
    private final List<String> reasons = new ArrayList<>();
    private final Watch watch;

    /** Starts watching; the pod need not exist yet. */
    WaitingReasonRecorder(TestNamespace namespace, String podName) {
        this.watch = namespace
                .cluster()
                .client()
                .pods()
                .inNamespace(namespace.name())
                .withName(podName)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                        TestNamespace.container(pod)
                                .map(c -> c.getState().getWaiting())
                                .map(w -> w.getReason())
                                .ifPresent(WaitingReasonRecorder.this::record);
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                });
    }

    private synchronized void record(String reason) {
        if (reasons.isEmpty() || !Objects.equals(reasons.get(reasons.size() - 1), reason)) {
            reasons.add(reason);
        }
    }

    /** The reasons seen so far, repeats in a row collapsed. */
    synchronized List<String> reasons() {
        return List.copyOf(reasons);
    }

    @Override
    public void close() {
        watch.close();
    }
}

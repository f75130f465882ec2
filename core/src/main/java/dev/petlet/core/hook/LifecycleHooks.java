package dev.petlet.core.hook;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.probe.ExecCheck;
import dev.petlet.core.probe.HandlerRunner;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs a container's postStart or preStop handler (exec, httpGet or sleep) as the kubelet's
 * handler runner does, and words failures as it does. Blocking; called from the pod's worker.
 */
public final class LifecycleHooks {
    private final HandlerRunner runner;

    public LifecycleHooks(HandlerRunner runner) {
        this.runner = requireNonNull(runner, "runner");
    }

    /**
     * @param podIp nullable: the pod's address, for an httpGet handler without a host
     * @param timeout how long the handler may take: the rest of the grace period for preStop
     * @return empty on success, else the kubelet's failure message
     */
    public Optional<String> run(
            Pod pod,
            Container container,
            String containerId,
            LifecycleHandler handler,
            String podIp,
            Duration timeout) {
        String where =
                " for Container \"" + container.getName() + "\" in Pod \"" + podName(pod) + "\" failed - error: ";
        if (handler.getExec() != null) {
            List<String> command =
                    Optional.ofNullable(handler.getExec().getCommand()).orElse(List.of());
            ExecCheck.Run run = runner.exec().run(containerId, command, timeout);
            String error = run.error() != null
                    ? run.error()
                    : run.exitCode() != 0
                            ? "command '" + String.join(" ", command) + "' exited with " + run.exitCode() + ": "
                                    + run.output()
                            : null;
            return error == null
                    ? Optional.empty()
                    : Optional.of("Exec lifecycle hook ([" + String.join(" ", command) + "])" + where + error
                            + ", message: " + goQuoted(run.output()));
        }
        if (handler.getHttpGet() != null) {
            return runner.httpHook(handler.getHttpGet(), container, podIp, timeout)
                    .map(error -> "HTTP lifecycle hook ("
                            + Optional.ofNullable(handler.getHttpGet().getPath())
                                    .orElse("") + ")" + where + error);
        }
        if (handler.getSleep() != null) {
            long seconds = Optional.ofNullable(handler.getSleep().getSeconds()).orElse(0L);
            Duration sleep = Duration.ofSeconds(seconds);
            try {
                Thread.sleep(sleep.compareTo(timeout) < 0 ? sleep : timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
        return Optional.of("Cannot run handler: the lifecycle handler of container " + container.getName()
                + " has no exec, httpGet or sleep action");
    }

    /** Go's %q of a string, for the common characters. */
    static String goQuoted(String text) {
        return "\""
                + text.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\n", "\\n")
                        .replace("\r", "\\r")
                        .replace("\t", "\\t")
                + "\"";
    }

    /** The kubelet's format.Pod: name_namespace(uid). */
    static String podName(Pod pod) {
        return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                + pod.getMetadata().getUid() + ")";
    }
}

package dev.petlet.core.stream;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.runtime.ContainerRuntime;
import java.time.Duration;
import java.util.List;

/**
 * What an authorized streaming request (exec, attach or port-forward) connects to, resolved by the server from
 * the request path before it hands the connection to {@link StreamUpgrade#handle}.
 *
 * @param kind which endpoint was called
 * @param containerId the container to exec in or attach to; {@code null} for {@link Kind#PORT_FORWARD}
 * @param sandboxId the pod sandbox whose network namespace port-forward connects into; may be {@code null} for
 *     exec and attach
 * @param podIps the pod's addresses; informational, as port-forward connects through the runtime; may be empty
 * @param runtime the runtime that owns the container or sandbox; not closed by the stream
 * @param idleTimeout how long a session may pass without any traffic in either direction before it is closed
 *     (the kubelet's {@code streamingConnectionIdleTimeout}, 4h by default); zero or negative means never
 */
public record StreamTarget(
        Kind kind,
        String containerId,
        String sandboxId,
        List<String> podIps,
        ContainerRuntime runtime,
        Duration idleTimeout) {

    /** The streaming endpoints of the kubelet API. */
    public enum Kind {
        EXEC,
        ATTACH,
        PORT_FORWARD
    }

    public StreamTarget {
        requireNonNull(kind, "kind");
        requireNonNull(runtime, "runtime");
        requireNonNull(idleTimeout, "idleTimeout");
        podIps = podIps == null ? List.of() : List.copyOf(podIps);
        if (kind == Kind.PORT_FORWARD) {
            requireNonNull(sandboxId, "sandboxId");
        } else {
            requireNonNull(containerId, "containerId");
        }
    }
}

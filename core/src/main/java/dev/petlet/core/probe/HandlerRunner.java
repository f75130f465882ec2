package dev.petlet.core.probe;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs the handler of a probe once against a container: exec through the runtime, httpGet,
 * tcpSocket and grpc against the pod's IP (or the handler's host). Shared by probes and hooks.
 */
public final class HandlerRunner {
    private final ExecCheck exec;
    private final GrpcCheck grpc;

    public HandlerRunner(ExecCheck exec, GrpcCheck grpc) {
        this.exec = requireNonNull(exec, "exec");
        this.grpc = requireNonNull(grpc, "grpc");
    }

    public ExecCheck exec() {
        return exec;
    }

    /** @param podIp nullable: the pod's address, for network handlers without a host of their own */
    ProbeOutcome probe(Probe probe, String containerId, Container container, String podIp) {
        Duration timeout = Duration.ofSeconds(
                Math.max(1, Optional.ofNullable(probe.getTimeoutSeconds()).orElse(1)));
        try {
            if (probe.getExec() != null) {
                return exec.probe(containerId, probe.getExec().getCommand(), timeout);
            }
            if (probe.getHttpGet() != null) {
                return httpGet(probe.getHttpGet(), container, podIp, timeout);
            }
            if (probe.getTcpSocket() != null) {
                TCPSocketAction tcp = probe.getTcpSocket();
                return TcpCheck.connect(
                        host(tcp.getHost(), podIp), ContainerPorts.resolve(tcp.getPort(), container), timeout);
            }
            if (probe.getGrpc() != null) {
                return grpc.check(
                        host(null, podIp),
                        probe.getGrpc().getPort(),
                        Optional.ofNullable(probe.getGrpc().getService()).orElse(""),
                        timeout);
            }
            return ProbeOutcome.failed("the probe has no handler (exec, httpGet, tcpSocket or grpc)");
        } catch (IllegalArgumentException e) {
            return ProbeOutcome.failed(e.getMessage());
        }
    }

    /** An httpGet handler; the port may name one of the container's ports. */
    public ProbeOutcome httpGet(HTTPGetAction action, Container container, String podIp, Duration timeout) {
        try {
            return HttpCheck.get(target(action, container, podIp), timeout);
        } catch (IllegalArgumentException e) {
            return ProbeOutcome.failed(e.getMessage());
        }
    }

    /**
     * An httpGet lifecycle hook: like a probe, but with {@code User-Agent: kube-lifecycle/<version>}
     * and, as the kubelet does, only a failed request (not a status code) counts as failure.
     *
     * @return empty on success, else Go's description of the error
     */
    public Optional<String> httpHook(HTTPGetAction action, Container container, String podIp, Duration timeout) {
        try {
            HttpCheck.exchange(target(action, container, podIp), timeout, "kube-lifecycle/1.33");
            return Optional.empty();
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** @throws IllegalArgumentException if the port or the address cannot be resolved */
    private static HttpCheck.Target target(HTTPGetAction action, Container container, String podIp) {
        return new HttpCheck.Target(
                action.getScheme(),
                host(action.getHost(), podIp),
                ContainerPorts.resolve(action.getPort(), container),
                action.getPath(),
                action.getHttpHeaders());
    }

    private static String host(String host, String podIp) {
        if (host != null && !host.isEmpty()) {
            return host;
        }
        if (podIp == null || podIp.isEmpty()) {
            throw new IllegalArgumentException("the pod has no IP address to probe yet");
        }
        return podIp;
    }
}

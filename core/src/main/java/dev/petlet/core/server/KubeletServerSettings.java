package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the kubelet API listens and whom it lets in; fixed for the life of the server.
 *
 * @param nodeName the Node's name: the {@code name} of every SubjectAccessReview
 * @param bindAddress the address to listen on, {@code 0.0.0.0} for all IPv4 ones, {@code ::} for all
 * @param port the port, normally 10250; 0 picks a free one ({@link KubeletServer#port()} tells which)
 * @param certificate the serving certificate chain (PEM, leaf first); its SANs must include the address the API
 *     server dials (the node's InternalIP) when the API server verifies it ({@code --kubelet-certificate-authority})
 * @param key the serving key: PKCS#8, SEC1 ({@code EC PRIVATE KEY}) or PKCS#1 PEM
 * @param clientCa the CAs (PEM) that sign client certificates, normally the cluster CA
 * @param streamIdleTimeout how long an exec, attach or port-forward stream may carry no data before it is closed
 * @param enableDebuggingHandlers whether exec, attach, port-forward, container logs and running pods are served;
 *     when off they answer 405 as the kubelet does
 * @param webhookAuthentication whether bearer tokens are checked with TokenReviews; when off only client
 *     certificates authenticate
 */
public record KubeletServerSettings(
        String nodeName,
        String bindAddress,
        int port,
        Path certificate,
        Path key,
        Path clientCa,
        Duration streamIdleTimeout,
        boolean enableDebuggingHandlers,
        boolean webhookAuthentication) {

    public static final int DEFAULT_PORT = 10250;
    public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofHours(4);

    public KubeletServerSettings {
        requireNonNull(nodeName, "nodeName");
        requireNonNull(bindAddress, "bindAddress");
        requireNonNull(certificate, "certificate");
        requireNonNull(key, "key");
        requireNonNull(clientCa, "clientCa");
        requireNonNull(streamIdleTimeout, "streamIdleTimeout");
        if (nodeName.isEmpty()) {
            throw new IllegalArgumentException("nodeName must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (streamIdleTimeout.isNegative() || streamIdleTimeout.isZero()) {
            throw new IllegalArgumentException("streamIdleTimeout must be positive, got " + streamIdleTimeout);
        }
    }

    /**
     * The kubelet's defaults: all addresses, port 10250, 4 h stream idle timeout, debugging handlers on, client
     * certificates and bearer tokens.
     */
    public static KubeletServerSettings defaults(String nodeName, Path certificate, Path key, Path clientCa) {
        return new KubeletServerSettings(
                nodeName, "0.0.0.0", DEFAULT_PORT, certificate, key, clientCa, DEFAULT_STREAM_IDLE_TIMEOUT, true, true);
    }

    /** These settings on another address and port. */
    public KubeletServerSettings withAddress(String bindAddress, int port) {
        return new KubeletServerSettings(
                nodeName,
                bindAddress,
                port,
                certificate,
                key,
                clientCa,
                streamIdleTimeout,
                enableDebuggingHandlers,
                webhookAuthentication);
    }

    /** These settings with the debugging handlers on or off. */
    public KubeletServerSettings withDebuggingHandlers(boolean enabled) {
        return new KubeletServerSettings(
                nodeName,
                bindAddress,
                port,
                certificate,
                key,
                clientCa,
                streamIdleTimeout,
                enabled,
                webhookAuthentication);
    }

    /** These settings with bearer-token authentication on or off. */
    public KubeletServerSettings withWebhookAuthentication(boolean enabled) {
        return new KubeletServerSettings(
                nodeName,
                bindAddress,
                port,
                certificate,
                key,
                clientCa,
                streamIdleTimeout,
                enableDebuggingHandlers,
                enabled);
    }
}

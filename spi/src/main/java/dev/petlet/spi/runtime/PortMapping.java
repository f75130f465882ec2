package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

/**
 * A host port forwarded to a port of the pod (Kubernetes' {@code hostPort}).
 *
 * @param protocol the transport protocol
 * @param containerPort the port inside the pod, 1-65535
 * @param hostPort the port on the host, 1-65535
 * @param hostIp nullable: the host address to bind, or {@code null} for all addresses
 */
public record PortMapping(Protocol protocol, int containerPort, int hostPort, String hostIp) {
    public PortMapping {
        requireNonNull(protocol, "protocol");
        checkPort(containerPort, "containerPort");
        checkPort(hostPort, "hostPort");
    }

    private static void checkPort(int port, String name) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be within 1-65535, was " + port);
        }
    }
}

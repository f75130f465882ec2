package dev.petlet.core.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Optional;

/** Resolves a probe's or hook's port, given by number or by the name of one of the container's ports. */
final class ContainerPorts {
    private ContainerPorts() {}

    /** @throws IllegalArgumentException naming the port and container when it cannot be resolved */
    static int resolve(IntOrString port, Container container) {
        if (port == null) {
            throw new IllegalArgumentException("no port given for container " + container.getName());
        }
        Integer number = port.getIntVal();
        if (number == null && port.getStrVal() != null && port.getStrVal().matches("\\d+")) {
            number = Integer.parseInt(port.getStrVal());
        }
        if (number != null) {
            if (number < 1 || number > 65535) {
                throw new IllegalArgumentException("invalid port number: " + number);
            }
            return number;
        }
        String name = port.getStrVal();
        return Optional.ofNullable(container.getPorts()).orElse(List.of()).stream()
                .filter(p -> name.equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "couldn't find port: " + name + " in container " + container.getName()));
    }

    /** Go's host:port, with brackets around an IPv6 address. */
    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

package dev.petlet.sandbox;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** This machine's host name and the address other hosts (and pods) reach it on. */
record HostIdentity(String hostname, InetAddress address) {
    private static final List<String> VIRTUAL_PREFIXES =
            List.of("lo", "podman", "cni", "veth", "docker", "br-", "virbr", "wg", "flannel", "cali", "kube");

    static HostIdentity detect() {
        return new HostIdentity(systemHostname(), primaryAddress().orElse(InetAddress.getLoopbackAddress()));
    }

    private static String systemHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            } catch (IOException unknown) {
                return "localhost";
            }
        }
    }

    /** The first IPv4 address of an up, non-virtual interface, by interface index. */
    private static Optional<InetAddress> primaryAddress() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(HostIdentity::isPhysicalAndUp)
                    .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static boolean isPhysicalAndUp(NetworkInterface network) {
        try {
            String name = network.getName();
            return network.isUp()
                    && !network.isLoopback()
                    && VIRTUAL_PREFIXES.stream().noneMatch(name::startsWith);
        } catch (SocketException e) {
            return false;
        }
    }
}

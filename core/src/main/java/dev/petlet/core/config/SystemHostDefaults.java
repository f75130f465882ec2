package dev.petlet.core.config;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The host name from the kernel and the address the kubelet would pick: the IPv4 address of the interface that
 * holds the default route, else of any other interface that is up.
 */
final class SystemHostDefaults implements HostDefaults {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    private static final Path ROUTES = Path.of("/proc/net/route");

    @Override
    public String hostname() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // not Linux, or /proc not mounted: ask the JVM
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public Optional<String> primaryIPv4() {
        try {
            Optional<String> routed =
                    defaultRouteInterface(Files.readAllLines(ROUTES)).flatMap(SystemHostDefaults::ipv4Of);
            if (routed.isPresent()) {
                return routed;
            }
        } catch (IOException e) {
            // no routing table to read: fall back to any interface
        }
        try {
            for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (candidate.isUp() && !candidate.isLoopback()) {
                    Optional<String> address = ipv4Of(candidate);
                    if (address.isPresent()) {
                        return address;
                    }
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The interface of the default IPv4 route with the lowest metric, from {@code /proc/net/route}: columns
     * Iface, Destination, Gateway, Flags, RefCnt, Use, Metric, Mask; addresses in hex.
     */
    static Optional<String> defaultRouteInterface(List<String> routeTable) {
        String best = null;
        long bestMetric = Long.MAX_VALUE;
        for (String line : routeTable.subList(Math.min(1, routeTable.size()), routeTable.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 8) {
                continue;
            }
            try {
                boolean up = (Integer.parseInt(fields[3], 16) & 0x1) != 0;
                long metric = Long.parseLong(fields[6]);
                if (up && fields[1].equals("00000000") && fields[7].equals("00000000") && metric < bestMetric) {
                    best = fields[0];
                    bestMetric = metric;
                }
            } catch (NumberFormatException e) {
                // a line we do not understand is no default route
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<String> ipv4Of(String interfaceName) {
        try {
            NetworkInterface networkInterface = NetworkInterface.getByName(interfaceName);
            return networkInterface == null ? Optional.empty() : ipv4Of(networkInterface);
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> ipv4Of(NetworkInterface networkInterface) {
        return Collections.list(networkInterface.getInetAddresses()).stream()
                .filter(address -> address instanceof Inet4Address)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .map(InetAddress::getHostAddress)
                .findFirst();
    }
}

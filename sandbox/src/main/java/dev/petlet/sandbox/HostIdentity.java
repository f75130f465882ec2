package dev.petlet.sandbox;

import dev.petlet.core.config.HostDefaults;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * This machine's host name and the address other hosts (and pods) reach it on, found as the
 * agent's configuration finds its defaults: the kernel's host name, the default route's address.
 */
record HostIdentity(String hostname, InetAddress address) {

    static HostIdentity detect() {
        HostDefaults host = HostDefaults.system();
        InetAddress address = host.primaryIPv4().map(HostIdentity::parse).orElse(InetAddress.getLoopbackAddress());
        return new HostIdentity(host.hostname().toLowerCase(Locale.ROOT), address);
    }

    private static InetAddress parse(String ip) {
        try {
            return InetAddress.getByName(ip); // a literal address: no lookup
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }
}

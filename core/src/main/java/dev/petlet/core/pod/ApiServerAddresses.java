package dev.petlet.core.pod;

import dev.petlet.core.env.PodFacts;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where pods reach the API server. petlet has no service proxy yet, so the {@code kubernetes}
 * service's cluster IP leads nowhere from a pod: pods get the address the agent itself uses
 * instead (in {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} and the other link variables), with
 * a loopback host replaced by the node's address, which the API server also listens on.
 */
final class ApiServerAddresses {
    private ApiServerAddresses() {}

    static Optional<PodFacts.ApiServerAddress> forPods(KubernetesClient client, String nodeIp) {
        URL url = client.getMasterUrl();
        if (url == null) {
            return Optional.empty();
        }
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.getPort() > 0 ? url.getPort() : url.getDefaultPort();
        return Optional.of(new PodFacts.ApiServerAddress(isLoopback(host) ? nodeIp : host, port));
    }

    static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return false; // a name: do not resolve it here
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

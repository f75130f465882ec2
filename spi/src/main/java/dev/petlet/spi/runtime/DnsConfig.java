package dev.petlet.spi.runtime;

import java.util.List;

/**
 * The resolver configuration of a pod, already computed by the core from the pod's DNS policy.
 *
 * @param servers name server addresses, in order
 * @param searches search domains, in order
 * @param options resolver options such as {@code ndots:5}
 */
public record DnsConfig(List<String> servers, List<String> searches, List<String> options) {
    public DnsConfig {
        servers = List.copyOf(servers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }
}

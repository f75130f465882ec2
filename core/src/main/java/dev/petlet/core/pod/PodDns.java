package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.runtime.DnsConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's resolver configuration from its {@code dnsPolicy} and {@code dnsConfig}, as the kubelet's {@code
 * network/dns} computes it, and the {@code resolv.conf} text the CRI runtimes write from it. Pure.
 */
final class PodDns {
    static final int MAX_NAMESERVERS = 3;
    static final int MAX_SEARCHES = 32;

    /** What to write, and the warning event to report when the pod did not get what it asked for. */
    record Result(DnsConfig config, Optional<String> missingClusterDns) {}

    private final List<String> clusterDns;
    private final String clusterDomain;

    PodDns(List<String> clusterDns, String clusterDomain) {
        this.clusterDns = List.copyOf(clusterDns);
        this.clusterDomain = requireNonNull(clusterDomain, "clusterDomain");
    }

    /** @param hostResolvConf the node's {@code resolv.conf} text */
    Result configure(Pod pod, String hostResolvConf) {
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        String policy = Optional.ofNullable(pod.getSpec().getDnsPolicy()).orElse("ClusterFirst");
        boolean cluster = switch (policy) {
            case "ClusterFirstWithHostNet" -> true;
            case "ClusterFirst" -> !hostNetwork;
            default -> false;
        };
        List<String> servers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        Optional<String> warning = Optional.empty();
        if (!policy.equals("None")) {
            DnsConfig host = parse(hostResolvConf);
            if (cluster && !clusterDns.isEmpty()) {
                servers.addAll(clusterDns);
                String namespace = pod.getMetadata().getNamespace();
                searches.add(namespace + ".svc." + clusterDomain);
                searches.add("svc." + clusterDomain);
                searches.add(clusterDomain);
                searches.addAll(host.searches());
                options.add("ndots:5");
            } else {
                if (cluster) {
                    warning = Optional.of("pod: \"" + SecurityContexts.describe(pod)
                            + "\". kubelet does not have ClusterDNS IP configured and cannot create Pod using \""
                            + "ClusterFirst\" policy. Falling back to \"Default\" policy.");
                }
                servers.addAll(host.servers());
                searches.addAll(host.searches());
                options.addAll(host.options());
            }
        }
        PodDNSConfig extra = pod.getSpec().getDnsConfig();
        if (extra != null) {
            servers.addAll(Optional.ofNullable(extra.getNameservers()).orElse(List.of()));
            searches.addAll(Optional.ofNullable(extra.getSearches()).orElse(List.of()));
            options = mergeOptions(
                    options, Optional.ofNullable(extra.getOptions()).orElse(List.of()));
        }
        List<String> uniqueServers = new ArrayList<>(new LinkedHashSet<>(servers));
        List<String> uniqueSearches = new ArrayList<>(new LinkedHashSet<>(searches));
        return new Result(
                new DnsConfig(
                        uniqueServers.subList(0, Math.min(MAX_NAMESERVERS, uniqueServers.size())),
                        uniqueSearches.subList(0, Math.min(MAX_SEARCHES, uniqueSearches.size())),
                        options),
                warning);
    }

    /** Later options replace earlier ones of the same name, keeping the first one's place. */
    private static List<String> mergeOptions(List<String> existing, List<PodDNSConfigOption> added) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String option : existing) {
            int colon = option.indexOf(':');
            byName.put(colon < 0 ? option : option.substring(0, colon), option);
        }
        for (PodDNSConfigOption option : added) {
            String value = option.getValue() == null || option.getValue().isEmpty()
                    ? option.getName()
                    : option.getName() + ":" + option.getValue();
            byName.put(option.getName(), value);
        }
        return new ArrayList<>(byName.values());
    }

    /** The {@code nameserver}, {@code search} (or {@code domain}) and {@code options} lines of a resolv.conf. */
    static DnsConfig parse(String text) {
        List<String> servers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String line : text.split("\n")) {
            int comment = line.indexOf('#');
            String[] fields = (comment < 0 ? line : line.substring(0, comment))
                    .replace(';', ' ')
                    .strip()
                    .split("\\s+");
            if (fields.length < 2) {
                continue;
            }
            List<String> values = List.of(fields).subList(1, fields.length);
            switch (fields[0]) {
                case "nameserver" -> servers.add(fields[1]);
                case "search", "domain" -> {
                    searches.clear(); // the last search or domain line wins
                    searches.addAll(values.stream()
                            .map(s -> s.endsWith(".") ? s.substring(0, s.length() - 1) : s)
                            .toList());
                }
                case "options" -> options.addAll(values);
                default -> {}
            }
        }
        return new DnsConfig(servers, searches, options);
    }

    /** The file as containerd and CRI-O write it. */
    static String resolvConf(DnsConfig config) {
        StringBuilder text = new StringBuilder();
        if (!config.searches().isEmpty()) {
            text.append("search ").append(String.join(" ", config.searches())).append('\n');
        }
        for (String server : config.servers()) {
            text.append("nameserver ").append(server).append('\n');
        }
        if (!config.options().isEmpty()) {
            text.append("options ").append(String.join(" ", config.options())).append('\n');
        }
        return text.toString();
    }
}

package dev.petlet.core.env;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Service link variables ({@code FOO_SERVICE_HOST}, {@code FOO_PORT_80_TCP_ADDR}, …) as the
 * kubelet's {@code getServiceEnvVarMap} and {@code envvars.FromServices} make them: the master
 * service {@code kubernetes} from {@code default} always, the pod's namespace's services when
 * {@code enableServiceLinks}; services without a cluster IP are skipped.
 */
public final class ServiceLinks {
    private ServiceLinks() {}

    /**
     * @param namespaceServices the pod namespace's services (only used with {@code enableServiceLinks})
     * @param apiServer where pods reach the API server, replacing the master service's cluster IP and port
     */
    public static Map<String, String> variables(
            boolean enableServiceLinks,
            List<Service> defaultServices,
            List<Service> namespaceServices,
            Optional<PodFacts.ApiServerAddress> apiServer) {
        Map<String, Service> byName = new java.util.TreeMap<>();
        if (enableServiceLinks) {
            namespaceServices.stream()
                    .filter(ServiceLinks::hasClusterIp)
                    .forEach(s -> byName.put(s.getMetadata().getName(), s));
        }
        defaultServices.stream()
                .filter(s -> s.getMetadata().getName().equals("kubernetes") && hasClusterIp(s))
                .findFirst()
                .ifPresent(master -> byName.putIfAbsent("kubernetes", master));
        // Without a service proxy the master service's cluster IP leads nowhere: point at the API server itself.
        byName.computeIfPresent(
                "kubernetes",
                (name, s) -> "default".equals(s.getMetadata().getNamespace()) ? reachable(s, apiServer) : s);
        Map<String, String> variables = new LinkedHashMap<>();
        byName.values().stream()
                .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
                .forEach(service -> add(service, variables));
        return variables;
    }

    private static Service reachable(Service master, Optional<PodFacts.ApiServerAddress> apiServer) {
        if (apiServer.isEmpty()
                || master.getSpec().getPorts() == null
                || master.getSpec().getPorts().isEmpty()) {
            return master;
        }
        var builder = new io.fabric8.kubernetes.api.model.ServiceBuilder(master)
                .editSpec()
                .withClusterIP(apiServer.get().host())
                .endSpec();
        Service copy = builder.build();
        copy.getSpec().getPorts().get(0).setPort(apiServer.get().port());
        return copy;
    }

    private static boolean hasClusterIp(Service service) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None");
    }

    private static void add(Service service, Map<String, String> variables) {
        String prefix = variableName(service.getMetadata().getName());
        String ip = service.getSpec().getClusterIP();
        List<ServicePort> ports =
                Optional.ofNullable(service.getSpec().getPorts()).orElse(List.of());
        variables.put(prefix + "_SERVICE_HOST", ip);
        if (ports.isEmpty()) {
            return;
        }
        variables.put(prefix + "_SERVICE_PORT", Integer.toString(ports.get(0).getPort()));
        for (ServicePort port : ports) {
            if (port.getName() != null && !port.getName().isEmpty()) {
                variables.put(
                        prefix + "_SERVICE_PORT_" + variableName(port.getName()), Integer.toString(port.getPort()));
            }
        }
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            String protocol = Optional.ofNullable(port.getProtocol())
                    .filter(p -> !p.isEmpty())
                    .orElse("TCP");
            String url = protocol.toLowerCase(Locale.ROOT) + "://" + host + ":" + port.getPort();
            if (i == 0) {
                variables.put(prefix + "_PORT", url);
            }
            String portPrefix = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
            variables.put(portPrefix, url);
            variables.put(portPrefix + "_PROTO", protocol.toLowerCase(Locale.ROOT));
            variables.put(portPrefix + "_PORT", Integer.toString(port.getPort()));
            variables.put(portPrefix + "_ADDR", ip);
        }
    }

    static String variableName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}

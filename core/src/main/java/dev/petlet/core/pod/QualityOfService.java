package dev.petlet.core.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The pod's QoS class, computed as the API's {@code GetPodQOS} does (cpu and memory only). */
final class QualityOfService {
    private static final List<String> RESOURCES = List.of("cpu", "memory");

    private QualityOfService() {}

    static String of(Pod pod) {
        List<Container> containers = Stream.concat(
                        pod.getSpec().getContainers().stream(),
                        Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of()).stream())
                .toList();
        boolean anySet = false;
        boolean guaranteed = true;
        for (Container container : containers) {
            Map<String, Quantity> requests = requests(container);
            Map<String, Quantity> limits = limits(container);
            for (String resource : RESOURCES) {
                Quantity request = requests.get(resource);
                Quantity limit = limits.get(resource);
                if (isPositive(request) || isPositive(limit)) {
                    anySet = true;
                }
                // Limits default the request; Guaranteed needs a limit equal to the request for both.
                Quantity effectiveRequest = request != null ? request : limit;
                if (limit == null
                        || effectiveRequest == null
                        || limit.getNumericalAmount().compareTo(effectiveRequest.getNumericalAmount()) != 0) {
                    guaranteed = false;
                }
            }
        }
        if (!anySet) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static Map<String, Quantity> requests(Container container) {
        return container.getResources() == null || container.getResources().getRequests() == null
                ? Map.of()
                : container.getResources().getRequests();
    }

    private static Map<String, Quantity> limits(Container container) {
        return container.getResources() == null || container.getResources().getLimits() == null
                ? Map.of()
                : container.getResources().getLimits();
    }

    private static boolean isPositive(Quantity quantity) {
        return quantity != null && quantity.getNumericalAmount().signum() > 0;
    }
}

package dev.petlet.core.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * The values of downward API {@code resourceFieldRef}s ({@code ExtractContainerResourceValue}): a
 * limit the container does not set is the node's allocatable amount, the result is rounded up to
 * a whole number of divisors.
 */
public final class ResourceReferences {
    private ResourceReferences() {}

    /**
     * @param containerName the container whose resources are meant; may be null or empty only when {@code
     *     current} is given
     * @param current the container the reference appears in (env), or null (volumes)
     */
    public static String value(
            Pod pod, PodFacts facts, String containerName, String resource, Quantity divisor, Container current)
            throws ReferenceError {
        Container container = current;
        if (containerName != null && !containerName.isEmpty()) {
            container = pod.getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals(containerName))
                    .findFirst()
                    .or(() -> Optional.ofNullable(pod.getSpec().getInitContainers()).stream()
                            .flatMap(java.util.List::stream)
                            .filter(c -> c.getName().equals(containerName))
                            .findFirst())
                    .orElseThrow(() -> new ReferenceError("container " + containerName + " not found in pod "
                            + pod.getMetadata().getNamespace() + "/"
                            + pod.getMetadata().getName()
                            + ", named by a resourceFieldRef"));
        }
        if (container == null) {
            throw new ReferenceError("resourceFieldRef " + resource + " needs a containerName");
        }
        int dot = resource.indexOf('.');
        if (dot < 0) {
            throw new ReferenceError("unsupported container resource: " + resource);
        }
        String kind = resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        if (!kind.equals("limits") && !kind.equals("requests")) {
            throw new ReferenceError("unsupported container resource: " + resource);
        }
        var resources = container.getResources();
        Map<String, Quantity> declared = resources == null
                ? Map.of()
                : Optional.ofNullable(kind.equals("limits") ? resources.getLimits() : resources.getRequests())
                        .orElse(Map.of());
        Quantity quantity = declared.get(name);
        if (quantity == null && kind.equals("requests") && resources != null && resources.getLimits() != null) {
            quantity = resources.getLimits().get(name); // the API server defaults requests to limits
        }
        if (quantity == null && kind.equals("limits")) {
            quantity = facts.nodeAllocatable().get(name);
        }
        BigDecimal amount = quantity == null ? BigDecimal.ZERO : quantity.getNumericalAmount();
        // The API server defaults an unset divisor to 0, which the kubelet reads as 1.
        BigDecimal by = divisor == null || divisor.getNumericalAmount().signum() == 0
                ? BigDecimal.ONE
                : divisor.getNumericalAmount();
        if (by.signum() < 0) {
            throw new ReferenceError("divisor of resourceFieldRef " + resource + " must be positive");
        }
        return switch (name) {
            case "cpu" -> {
                // in millicores first, as the kubelet's MilliValue() does
                BigDecimal milli = amount.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING);
                BigDecimal divisorMilli = by.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING);
                yield milli.divide(divisorMilli, 0, RoundingMode.CEILING).toPlainString();
            }
            case "memory", "ephemeral-storage" ->
                amount.setScale(0, RoundingMode.CEILING)
                        .divide(by.setScale(0, RoundingMode.CEILING), 0, RoundingMode.CEILING)
                        .toPlainString();
            default -> {
                if (name.startsWith("hugepages-")) {
                    yield amount.divide(by, 0, RoundingMode.CEILING).toPlainString();
                }
                throw new ReferenceError("unsupported container resource: " + resource);
            }
        };
    }
}

package dev.petlet.core.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/** Resource requests mapped to the runtime as the kubelet maps them. Pure. */
final class ContainerResources {
    /** The kernel's minimum; the kubelet gives it to containers without a CPU request. */
    static final long MIN_SHARES = 2;

    static final long SHARES_PER_CPU = 1024;
    static final long MAX_SHARES = 262_144;

    private ContainerResources() {}

    /**
     * The kubelet's {@code MilliCPUToShares}: the CPU request (or the limit, which defaults it) in shares of
     * 1024 per CPU.
     */
    static long cpuShares(Container container) {
        Optional<Quantity> cpu = quantity(container, true).or(() -> quantity(container, false));
        if (cpu.isEmpty()) {
            return MIN_SHARES;
        }
        long millicores = cpu.get()
                .getNumericalAmount()
                .multiply(BigDecimal.valueOf(1000))
                .longValue();
        long shares = millicores * SHARES_PER_CPU / 1000;
        return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
    }

    private static Optional<Quantity> quantity(Container container, boolean request) {
        if (container.getResources() == null) {
            return Optional.empty();
        }
        Map<String, Quantity> values = request
                ? container.getResources().getRequests()
                : container.getResources().getLimits();
        return Optional.ofNullable(values).map(v -> v.get("cpu"));
    }
}

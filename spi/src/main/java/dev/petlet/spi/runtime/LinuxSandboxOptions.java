package dev.petlet.spi.runtime;

import java.util.Map;

/**
 * A pod sandbox's Linux namespace and kernel settings (the CRI's {@code LinuxPodSandboxConfig}).
 *
 * @param hostPid whether the pod's containers use the host's PID namespace
 * @param hostIpc whether the pod's containers use the host's IPC namespace
 * @param shareProcessNamespace whether the pod's containers share one PID namespace
 *     (Kubernetes' {@code shareProcessNamespace})
 * @param sysctls namespaced kernel parameters set in the sandbox's namespaces, by name (e.g. {@code
 *     net.ipv4.ip_unprivileged_port_start})
 */
public record LinuxSandboxOptions(
        boolean hostPid, boolean hostIpc, boolean shareProcessNamespace, Map<String, String> sysctls) {

    /** Private namespaces, no sysctls. */
    public static final LinuxSandboxOptions DEFAULT = new LinuxSandboxOptions(false, false, false, Map.of());

    public LinuxSandboxOptions {
        sysctls = Map.copyOf(sysctls);
    }
}

package dev.petlet.core.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kubelet's sysctl admission ({@code pkg/kubelet/sysctl}): a pod may set only the safe, namespaced
 * sysctls, and none of a namespace it shares with the host. Pure.
 */
final class SysctlAdmission {
    /** The kubelet's rejection reason. */
    static final String REASON = "SysctlForbidden";

    /** The kubelet's safe sysctls as of 1.33; unsafe ones need its {@code allowedUnsafeSysctls}. */
    static final Set<String> SAFE = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
            "net.ipv4.tcp_rmem",
            "net.ipv4.tcp_wmem");

    private SysctlAdmission() {}

    /** Why the pod may not run here, in the kubelet's words, or empty if its sysctls are allowed. */
    static Optional<String> forbidden(Pod pod) {
        List<Sysctl> sysctls = Optional.ofNullable(pod.getSpec().getSecurityContext())
                .map(PodSecurityContext::getSysctls)
                .orElse(List.of());
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        boolean hostIpc = Boolean.TRUE.equals(pod.getSpec().getHostIPC());
        for (Sysctl sysctl : sysctls) {
            String name = sysctl.getName().replace('/', '.');
            if (!SAFE.contains(name)) {
                return Optional.of("forbidden sysctl: \"" + name + "\" not allowlisted");
            }
            if (name.startsWith("net.") && hostNetwork) {
                return Optional.of("forbidden sysctl: \"" + name + "\" not allowed with host net enabled");
            }
            if (name.startsWith("kernel.shm") && hostIpc) {
                return Optional.of("forbidden sysctl: \"" + name + "\" not allowed with host ipc enabled");
            }
        }
        return Optional.empty();
    }
}

package dev.petlet.core.pod;

import dev.petlet.spi.runtime.LinuxContainerSecurity;
import dev.petlet.spi.runtime.LinuxContainerSecurity.NamespaceMode;
import dev.petlet.spi.runtime.LinuxContainerSecurity.Seccomp;
import dev.petlet.spi.runtime.LinuxSandboxOptions;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's and a container's security contexts merged the way the kubelet's {@code
 * determineEffectiveSecurityContext} does (the container's fields win), turned into the runtime's settings;
 * and the kubelet's {@code runAsNonRoot} check. Pure.
 */
final class SecurityContexts {
    /** Opt-in SELinux relabelling of the pod's bind mounts (Podman's {@code :z}). */
    static final String RELABEL_ANNOTATION = "petlet.dev/selinux-relabel";

    private SecurityContexts() {}

    /**
     * The container's runtime security settings.
     *
     * @param seccompRoot where {@code Localhost} seccomp profiles live ({@code <stateDir>/seccomp}, as the
     *     kubelet's {@code <root-dir>/seccomp})
     * @param pidTargetContainerId nullable: the runtime id of the container whose PID namespace an ephemeral
     *     container joins
     */
    static LinuxContainerSecurity container(Pod pod, Container container, Path seccompRoot, String pidTargetContainerId)
            throws ContainerConfigError {
        PodSecurityContext podContext =
                Optional.ofNullable(pod.getSpec().getSecurityContext()).orElseGet(PodSecurityContext::new);
        SecurityContext context =
                Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
        LinuxContainerSecurity.Builder security = LinuxContainerSecurity.builder()
                .runAsUser(first(context.getRunAsUser(), podContext.getRunAsUser()))
                .runAsGroup(first(context.getRunAsGroup(), podContext.getRunAsGroup()))
                .privileged(Boolean.TRUE.equals(context.getPrivileged()))
                .readOnlyRootFilesystem(Boolean.TRUE.equals(context.getReadOnlyRootFilesystem()))
                .noNewPrivileges(Boolean.FALSE.equals(context.getAllowPrivilegeEscalation()))
                .unmaskedProc("Unmasked".equals(context.getProcMount()))
                .relabelMounts("true"
                        .equals(Optional.ofNullable(pod.getMetadata().getAnnotations())
                                .map(a -> a.get(RELABEL_ANNOTATION))
                                .orElse(null)))
                .hostIpc(Boolean.TRUE.equals(pod.getSpec().getHostIPC()));
        if (podContext.getFsGroup() != null) {
            security.supplementalGroup(podContext.getFsGroup());
        }
        for (Long group :
                Optional.ofNullable(podContext.getSupplementalGroups()).orElse(List.of())) {
            security.supplementalGroup(group);
        }
        Capabilities capabilities = context.getCapabilities();
        if (capabilities != null) {
            Optional.ofNullable(capabilities.getAdd()).orElse(List.of()).forEach(security::addCapability);
            Optional.ofNullable(capabilities.getDrop()).orElse(List.of()).forEach(security::dropCapability);
        }
        seccomp(
                pod,
                container,
                first(context.getSeccompProfile(), podContext.getSeccompProfile()),
                seccompRoot,
                security);
        SELinuxOptions seLinux = first(context.getSeLinuxOptions(), podContext.getSeLinuxOptions());
        if (seLinux != null) {
            Map<String, String> parts = new LinkedHashMap<>();
            parts.put("user", seLinux.getUser());
            parts.put("role", seLinux.getRole());
            parts.put("type", seLinux.getType());
            parts.put("level", seLinux.getLevel());
            parts.forEach((key, value) -> {
                if (value != null && !value.isEmpty()) {
                    security.seLinuxOption(key + ":" + value);
                }
            });
        }
        if (pidTargetContainerId != null) {
            security.pid(NamespaceMode.TARGET, pidTargetContainerId);
        } else if (Boolean.TRUE.equals(pod.getSpec().getHostPID())) {
            security.pid(NamespaceMode.NODE, null);
        } else if (Boolean.TRUE.equals(pod.getSpec().getShareProcessNamespace())) {
            security.pid(NamespaceMode.POD, null);
        }
        return security.build();
    }

    /** Without a profile the kubelet runs containers unconfined (its {@code seccompDefault} is off by default). */
    private static void seccomp(
            Pod pod, Container container, SeccompProfile profile, Path root, LinuxContainerSecurity.Builder security)
            throws ContainerConfigError {
        String type = profile == null ? "Unconfined" : profile.getType();
        switch (type) {
            case "RuntimeDefault" -> security.seccomp(Seccomp.RUNTIME_DEFAULT, null);
            case "Unconfined" -> security.seccomp(Seccomp.UNCONFINED, null);
            case "Localhost" -> {
                String name = profile.getLocalhostProfile();
                if (name == null || name.isEmpty() || Path.of(name).isAbsolute() || name.contains("..")) {
                    throw new ContainerConfigError("localhostProfile of the seccompProfile of container "
                            + container.getName() + " in pod " + describe(pod)
                            + " must name a file relative to " + root + ", was \"" + name + "\"");
                }
                security.seccomp(Seccomp.LOCALHOST, root.resolve(name).toString());
            }
            default ->
                throw new ContainerConfigError("unknown seccompProfile type \"" + type + "\" of container "
                        + container.getName() + " in pod " + describe(pod)
                        + "; use RuntimeDefault, Unconfined or Localhost");
        }
    }

    /**
     * The kubelet's {@code verifyRunAsNonRoot}: with {@code runAsNonRoot}, refuses a container that would run
     * as UID 0, or whose image names a user that cannot be checked.
     *
     * @param imageUser the image's {@code USER} ({@code name}, {@code uid} or either with {@code :group});
     *     empty means root
     */
    static void verifyRunAsNonRoot(Pod pod, Container container, LinuxContainerSecurity security, String imageUser)
            throws ContainerConfigError {
        if (!runAsNonRoot(pod, container)) {
            return;
        }
        String where = "(pod: \"" + describe(pod) + "\", container: " + container.getName() + ")";
        if (security.runAsUser() != null) {
            if (security.runAsUser() == 0) {
                throw new ContainerConfigError("container's runAsUser breaks non-root policy " + where);
            }
            return;
        }
        String user = imageUser.contains(":") ? imageUser.substring(0, imageUser.indexOf(':')) : imageUser;
        if (user.isEmpty() || user.equals("0")) {
            throw new ContainerConfigError("container has runAsNonRoot and image will run as root " + where);
        }
        if (!user.chars().allMatch(Character::isDigit)) {
            throw new ContainerConfigError("container has runAsNonRoot and image has non-numeric user (" + user
                    + "), cannot verify user is non-root " + where);
        }
    }

    /**
     * Whether {@link #verifyRunAsNonRoot} looks at the image's user: only with runAsNonRoot and no
     * runAsUser, so the image need not be inspected a second time for every other container.
     */
    static boolean checksImageUser(Pod pod, Container container, LinuxContainerSecurity security) {
        return runAsNonRoot(pod, container) && security.runAsUser() == null;
    }

    private static boolean runAsNonRoot(Pod pod, Container container) {
        PodSecurityContext podContext = pod.getSpec().getSecurityContext();
        SecurityContext context = container.getSecurityContext();
        return Boolean.TRUE.equals(first(
                context == null ? null : context.getRunAsNonRoot(),
                podContext == null ? null : podContext.getRunAsNonRoot()));
    }

    /** The sandbox's namespaces and sysctls. */
    static LinuxSandboxOptions sandbox(Pod pod) {
        Map<String, String> sysctls = new LinkedHashMap<>();
        Optional.ofNullable(pod.getSpec().getSecurityContext())
                .map(PodSecurityContext::getSysctls)
                .orElse(List.of())
                .forEach((Sysctl sysctl) -> sysctls.put(sysctl.getName(), sysctl.getValue()));
        return new LinuxSandboxOptions(
                Boolean.TRUE.equals(pod.getSpec().getHostPID()),
                Boolean.TRUE.equals(pod.getSpec().getHostIPC()),
                Boolean.TRUE.equals(pod.getSpec().getShareProcessNamespace()),
                sysctls);
    }

    /** The fsGroup that owns the pod's writable volumes, if any. */
    static Optional<Long> fsGroup(Pod pod) {
        return Optional.ofNullable(pod.getSpec().getSecurityContext()).map(PodSecurityContext::getFsGroup);
    }

    /** The kubelet's {@code format.Pod}: {@code name_namespace(uid)}. */
    static String describe(Pod pod) {
        return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                + pod.getMetadata().getUid() + ")";
    }

    private static <T> T first(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}

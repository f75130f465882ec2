package dev.petlet.provider.podman;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petlet.spi.runtime.LinuxContainerSecurity;
import dev.petlet.spi.runtime.LinuxSandboxOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The security and namespace fields of libpod's {@code SpecGenerator} (containers) and {@code PodSpecGenerator}
 * (pods), from the SPI's {@link LinuxContainerSecurity} and {@link LinuxSandboxOptions}.
 */
final class LibpodSecurity {
    /** What a Podman pod shares when nothing asks otherwise (Podman's own default). */
    static final List<String> DEFAULT_SHARED = List.of("cgroup", "ipc", "net", "uts");

    private LibpodSecurity() {}

    /** Adds the pod's shared namespaces and sysctls to a {@code POST /libpod/pods/create} body. */
    static void putSandbox(ObjectNode body, LinuxSandboxOptions linux) {
        if (linux.hostIpc() || linux.shareProcessNamespace()) {
            List<String> shared = new ArrayList<>(List.of("cgroup", "net", "uts"));
            if (!linux.hostIpc()) {
                shared.add("ipc"); // else each container joins the host's
            }
            if (linux.shareProcessNamespace() && !linux.hostPid()) {
                shared.add("pid");
            }
            ArrayNode namespaces = body.putArray("shared_namespaces");
            shared.forEach(namespaces::add);
        }
        if (!linux.sysctls().isEmpty()) {
            ObjectNode sysctls = body.putObject("sysctl");
            linux.sysctls().forEach(sysctls::put);
        }
    }

    /** Adds the user, capabilities, confinement and namespaces to a {@code POST /libpod/containers/create} body. */
    static void putContainer(ObjectNode body, LinuxContainerSecurity security) {
        if (security.runAsUser() != null) {
            body.put(
                    "user",
                    security.runAsGroup() == null
                            ? Long.toString(security.runAsUser())
                            : security.runAsUser() + ":" + security.runAsGroup());
        }
        List<Long> groups = new ArrayList<>();
        if (security.runAsGroup() != null) {
            groups.add(security.runAsGroup()); // the CRI runtimes list the primary group too
        }
        security.supplementalGroups().stream().filter(g -> !groups.contains(g)).forEach(groups::add);
        if (!groups.isEmpty()) {
            ArrayNode array = body.putArray("groups");
            groups.forEach(g -> array.add(Long.toString(g)));
        }
        if (security.privileged()) {
            body.put("privileged", true);
        }
        putCapabilities(body, "cap_add", security.capabilitiesAdd());
        putCapabilities(body, "cap_drop", security.capabilitiesDrop());
        if (security.readOnlyRootFilesystem()) {
            body.put("read_only_filesystem", true);
            body.put("read_write_tmpfs", false); // Kubernetes mounts no writable /tmp or /run
        }
        if (security.noNewPrivileges()) {
            body.put("no_new_privileges", true);
        }
        switch (security.seccomp()) {
            case RUNTIME_DEFAULT -> {}
            case UNCONFINED -> body.put("seccomp_profile_path", "unconfined");
            case LOCALHOST -> body.put("seccomp_profile_path", security.localhostSeccompProfile());
        }
        if (!security.seLinuxOptions().isEmpty()) {
            ArrayNode options = body.putArray("selinux_opts");
            security.seLinuxOptions().forEach(options::add);
        }
        if (security.unmaskedProc()) {
            body.putArray("unmask").add("ALL");
        }
        switch (security.pid()) {
            case POD, CONTAINER -> {} // decided by whether the pod shares its PID namespace
            case NODE -> body.putObject("pidns").put("nsmode", "host");
            case TARGET ->
                body.putObject("pidns").put("nsmode", "container").put("value", security.pidTargetContainerId());
        }
        if (security.hostIpc()) {
            body.putObject("ipcns").put("nsmode", "host");
        }
    }

    /** The image's user (without its group; root when it names none) with the given primary group. */
    static String userWithGroup(String imageUser, long group) {
        String user = imageUser.contains(":") ? imageUser.substring(0, imageUser.indexOf(':')) : imageUser;
        return (user.isEmpty() ? "0" : user) + ":" + group;
    }

    private static void putCapabilities(ObjectNode body, String field, List<String> capabilities) {
        if (!capabilities.isEmpty()) {
            ArrayNode array = body.putArray(field);
            capabilities.forEach(array::add);
        }
    }
}

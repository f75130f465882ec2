package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A container's Linux security settings and namespaces, already merged from the pod's and the container's
 * security context by the core (the CRI's {@code LinuxContainerSecurityContext}).
 *
 * @param runAsUser nullable: the UID the process runs as, or {@code null} for the image's user
 * @param runAsGroup nullable: the primary GID, or {@code null} for the image's
 * @param supplementalGroups extra GIDs of the process, in order
 * @param privileged whether the container runs privileged (all capabilities, all devices, no confinement)
 * @param capabilitiesAdd capabilities added to the runtime's default set, without the {@code CAP_} prefix;
 *     {@code ALL} means every one
 * @param capabilitiesDrop capabilities removed from it, without the prefix; {@code ALL} means every one
 * @param readOnlyRootFilesystem whether the root file system is mounted read-only (mounts stay as given)
 * @param noNewPrivileges whether the process gets the {@code no_new_privs} bit
 * @param seccomp the seccomp profile
 * @param localhostSeccompProfile nullable: the profile's absolute host path, set only for {@link
 *     Seccomp#LOCALHOST}
 * @param seLinuxOptions SELinux label parts such as {@code type:spc_t} ({@code user:}, {@code role:}, {@code
 *     type:}, {@code level:}); empty for the runtime's default
 * @param relabelMounts whether the runtime relabels bind-mount sources for SELinux (shared label)
 * @param unmaskedProc whether {@code /proc} is mounted without the runtime's masked and read-only paths
 * @param pid which PID namespace the container runs in
 * @param pidTargetContainerId nullable: the runtime id of the container whose PID namespace to join, set only
 *     for {@link NamespaceMode#TARGET}
 * @param hostIpc whether the container uses the host's IPC namespace instead of the sandbox's
 */
public record LinuxContainerSecurity(
        Long runAsUser,
        Long runAsGroup,
        List<Long> supplementalGroups,
        boolean privileged,
        List<String> capabilitiesAdd,
        List<String> capabilitiesDrop,
        boolean readOnlyRootFilesystem,
        boolean noNewPrivileges,
        Seccomp seccomp,
        String localhostSeccompProfile,
        List<String> seLinuxOptions,
        boolean relabelMounts,
        boolean unmaskedProc,
        NamespaceMode pid,
        String pidTargetContainerId,
        boolean hostIpc) {

    /** Nothing set: the image's user, the runtime's defaults, the sandbox's namespaces. */
    public static final LinuxContainerSecurity DEFAULT = builder().build();

    /** Seccomp profiles, as Kubernetes names them. */
    public enum Seccomp {
        /** The runtime's default profile. */
        RUNTIME_DEFAULT,
        /** No seccomp filtering. */
        UNCONFINED,
        /** A profile file on the host, see {@link #localhostSeccompProfile()}. */
        LOCALHOST
    }

    /** Whose namespace a container runs in (the CRI's {@code NamespaceMode}). */
    public enum NamespaceMode {
        /** The sandbox's, shared by the pod's containers. */
        POD,
        /** Its own. */
        CONTAINER,
        /** The host's. */
        NODE,
        /** Another container's, see {@link #pidTargetContainerId()}. */
        TARGET
    }

    public LinuxContainerSecurity {
        supplementalGroups = List.copyOf(supplementalGroups);
        capabilitiesAdd = List.copyOf(capabilitiesAdd);
        capabilitiesDrop = List.copyOf(capabilitiesDrop);
        requireNonNull(seccomp, "seccomp");
        seLinuxOptions = List.copyOf(seLinuxOptions);
        requireNonNull(pid, "pid");
        if ((seccomp == Seccomp.LOCALHOST) != (localhostSeccompProfile != null)) {
            throw new IllegalArgumentException("localhostSeccompProfile is set exactly for a LOCALHOST profile");
        }
        if ((pid == NamespaceMode.TARGET) != (pidTargetContainerId != null)) {
            throw new IllegalArgumentException("pidTargetContainerId is set exactly for a TARGET PID namespace");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link LinuxContainerSecurity}; not thread-safe. */
    public static final class Builder {
        private Long runAsUser;
        private Long runAsGroup;
        private final List<Long> supplementalGroups = new ArrayList<>();
        private boolean privileged;
        private final List<String> capabilitiesAdd = new ArrayList<>();
        private final List<String> capabilitiesDrop = new ArrayList<>();
        private boolean readOnlyRootFilesystem;
        private boolean noNewPrivileges;
        private Seccomp seccomp = Seccomp.RUNTIME_DEFAULT;
        private String localhostSeccompProfile;
        private final List<String> seLinuxOptions = new ArrayList<>();
        private boolean relabelMounts;
        private boolean unmaskedProc;
        private NamespaceMode pid = NamespaceMode.CONTAINER;
        private String pidTargetContainerId;
        private boolean hostIpc;

        private Builder() {}

        public Builder runAsUser(Long runAsUser) {
            this.runAsUser = runAsUser;
            return this;
        }

        public Builder runAsGroup(Long runAsGroup) {
            this.runAsGroup = runAsGroup;
            return this;
        }

        public Builder supplementalGroup(long group) {
            if (!supplementalGroups.contains(group)) {
                supplementalGroups.add(group);
            }
            return this;
        }

        public Builder privileged(boolean privileged) {
            this.privileged = privileged;
            return this;
        }

        public Builder addCapability(String capability) {
            capabilitiesAdd.add(requireNonNull(capability, "capability"));
            return this;
        }

        public Builder dropCapability(String capability) {
            capabilitiesDrop.add(requireNonNull(capability, "capability"));
            return this;
        }

        public Builder readOnlyRootFilesystem(boolean readOnlyRootFilesystem) {
            this.readOnlyRootFilesystem = readOnlyRootFilesystem;
            return this;
        }

        public Builder noNewPrivileges(boolean noNewPrivileges) {
            this.noNewPrivileges = noNewPrivileges;
            return this;
        }

        /** @param localhostProfile the host path for {@link Seccomp#LOCALHOST}, else {@code null} */
        public Builder seccomp(Seccomp seccomp, String localhostProfile) {
            this.seccomp = requireNonNull(seccomp, "seccomp");
            this.localhostSeccompProfile = localhostProfile;
            return this;
        }

        public Builder seLinuxOption(String option) {
            seLinuxOptions.add(requireNonNull(option, "option"));
            return this;
        }

        public Builder relabelMounts(boolean relabelMounts) {
            this.relabelMounts = relabelMounts;
            return this;
        }

        public Builder unmaskedProc(boolean unmaskedProc) {
            this.unmaskedProc = unmaskedProc;
            return this;
        }

        /** @param targetContainerId the runtime id for {@link NamespaceMode#TARGET}, else {@code null} */
        public Builder pid(NamespaceMode pid, String targetContainerId) {
            this.pid = requireNonNull(pid, "pid");
            this.pidTargetContainerId = targetContainerId;
            return this;
        }

        public Builder hostIpc(boolean hostIpc) {
            this.hostIpc = hostIpc;
            return this;
        }

        public LinuxContainerSecurity build() {
            return new LinuxContainerSecurity(
                    runAsUser,
                    runAsGroup,
                    supplementalGroups,
                    privileged,
                    capabilitiesAdd,
                    capabilitiesDrop,
                    readOnlyRootFilesystem,
                    noNewPrivileges,
                    seccomp,
                    localhostSeccompProfile,
                    seLinuxOptions,
                    relabelMounts,
                    unmaskedProc,
                    pid,
                    pidTargetContainerId,
                    hostIpc);
        }
    }
}

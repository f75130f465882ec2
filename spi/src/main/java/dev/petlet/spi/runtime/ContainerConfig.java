package dev.petlet.spi.runtime;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a container is created from, fully resolved by the core.
 *
 * @param name the container's name in the pod spec
 * @param attempt how many times this container was created before in this sandbox (its restart count)
 * @param image the image to run; the core has pulled it already
 * @param command the entrypoint; empty means the image's entrypoint (Kubernetes'
 *     {@code command})
 * @param args the arguments; empty means the image's command when {@code command} is empty too, and no
 *     arguments otherwise (Kubernetes' {@code args})
 * @param environment environment variables in order; a later duplicate name wins
 * @param workingDirectory nullable: the working directory, or {@code null} for the image's
 * @param mounts bind mounts
 * @param labels labels to put on the container (see {@link RuntimeLabels} for the ones the runtime adds)
 * @param annotations opaque key-value metadata returned unchanged by status calls
 * @param tty whether to allocate a terminal
 * @param stdin whether to keep standard input open for {@link ContainerRuntime#attach}
 * @param stdinOnce whether standard input closes after the first attach session ends
 * @param cpuLimitMillicores nullable: CPU limit in thousandths of a CPU, or {@code null} for none
 * @param memoryLimitBytes nullable: memory limit in bytes, or {@code null} for none; exceeding it gets the
 *     container OOM-killed
 * @param logPath nullable: absolute path of the file the runtime writes the container's output to in the
 *     CRI log format, or {@code null} to let the runtime choose
 * @param security the user, capabilities, confinement and namespaces of the process
 * @param cpuShares nullable: the relative CPU weight (cgroup {@code cpu.shares}, from the CPU request), or
 *     {@code null} for the runtime's default
 */
public record ContainerConfig(
        String name,
        int attempt,
        ImageSpec image,
        List<String> command,
        List<String> args,
        List<EnvironmentVariable> environment,
        String workingDirectory,
        List<Mount> mounts,
        Map<String, String> labels,
        Map<String, String> annotations,
        boolean tty,
        boolean stdin,
        boolean stdinOnce,
        Long cpuLimitMillicores,
        Long memoryLimitBytes,
        String logPath,
        LinuxContainerSecurity security,
        Long cpuShares) {
    public ContainerConfig {
        requireNonNull(security, "security");
        requireNonNull(name, "name");
        requireNonNull(image, "image");
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
        }
        command = List.copyOf(command);
        args = List.copyOf(args);
        environment = List.copyOf(environment);
        mounts = List.copyOf(mounts);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        if (cpuLimitMillicores != null && cpuLimitMillicores <= 0) {
            throw new IllegalArgumentException("cpuLimitMillicores must be positive, was " + cpuLimitMillicores);
        }
        if (memoryLimitBytes != null && memoryLimitBytes <= 0) {
            throw new IllegalArgumentException("memoryLimitBytes must be positive, was " + memoryLimitBytes);
        }
    }

    /** Starts a builder for a container with the given name and image. */
    public static Builder builder(String name, ImageSpec image) {
        return new Builder(name, image);
    }

    /** Builds {@link ContainerConfig}s; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final ImageSpec image;
        private int attempt;
        private final List<String> command = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final List<EnvironmentVariable> environment = new ArrayList<>();
        private String workingDirectory;
        private final List<Mount> mounts = new ArrayList<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private boolean tty;
        private boolean stdin;
        private boolean stdinOnce;
        private Long cpuLimitMillicores;
        private Long memoryLimitBytes;
        private String logPath;
        private LinuxContainerSecurity security = LinuxContainerSecurity.DEFAULT;
        private Long cpuShares;

        private Builder(String name, ImageSpec image) {
            this.name = requireNonNull(name, "name");
            this.image = requireNonNull(image, "image");
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder command(List<String> command) {
            this.command.clear();
            this.command.addAll(command);
            return this;
        }

        public Builder command(String... command) {
            return command(List.of(command));
        }

        public Builder args(List<String> args) {
            this.args.clear();
            this.args.addAll(args);
            return this;
        }

        public Builder args(String... args) {
            return args(List.of(args));
        }

        public Builder environment(String name, String value) {
            environment.add(new EnvironmentVariable(name, value));
            return this;
        }

        public Builder workingDirectory(String workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        public Builder mount(Mount mount) {
            mounts.add(requireNonNull(mount, "mount"));
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels.putAll(labels);
            return this;
        }

        public Builder annotation(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        public Builder tty(boolean tty) {
            this.tty = tty;
            return this;
        }

        public Builder stdin(boolean stdin) {
            this.stdin = stdin;
            return this;
        }

        public Builder stdinOnce(boolean stdinOnce) {
            this.stdinOnce = stdinOnce;
            return this;
        }

        public Builder cpuLimitMillicores(Long cpuLimitMillicores) {
            this.cpuLimitMillicores = cpuLimitMillicores;
            return this;
        }

        public Builder memoryLimitBytes(Long memoryLimitBytes) {
            this.memoryLimitBytes = memoryLimitBytes;
            return this;
        }

        public Builder logPath(String logPath) {
            this.logPath = logPath;
            return this;
        }

        public Builder security(LinuxContainerSecurity security) {
            this.security = requireNonNull(security, "security");
            return this;
        }

        public Builder cpuShares(Long cpuShares) {
            this.cpuShares = cpuShares;
            return this;
        }

        public ContainerConfig build() {
            return new ContainerConfig(
                    name,
                    attempt,
                    image,
                    command,
                    args,
                    environment,
                    workingDirectory,
                    mounts,
                    labels,
                    annotations,
                    tty,
                    stdin,
                    stdinOnce,
                    cpuLimitMillicores,
                    memoryLimitBytes,
                    logPath,
                    security,
                    cpuShares);
        }
    }
}

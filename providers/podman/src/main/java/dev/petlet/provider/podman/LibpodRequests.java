package dev.petlet.provider.podman;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.EnvironmentVariable;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.Mount;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.PortMapping;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the JSON bodies of libpod create calls from SPI records: Podman's {@code PodSpecGenerator} and
 * {@code SpecGenerator}, and the exec create and start bodies.
 */
final class LibpodRequests {
    /** The CFS period Kubernetes uses; a CPU limit becomes a quota per this period. */
    static final long CPU_PERIOD_MICROS = 100_000;
    /** The kernel rejects quotas below 1 ms. */
    static final long MIN_CPU_QUOTA_MICROS = 1_000;

    private LibpodRequests() {}

    /** The body of {@code POST /libpod/pods/create}. */
    static ObjectNode podCreate(PodSandboxConfig config, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("name", PodmanLabels.sandboxName(config));
        putStrings(body.putObject("labels"), PodmanLabels.forSandbox(config));
        if (config.hostNetwork()) {
            body.putObject("netns").put("nsmode", "host");
            // The CRI runtimes give host-network pods the host's UTS namespace, so its hostname too.
            body.putObject("utsns").put("nsmode", "host");
        } else {
            body.put("hostname", config.hostname());
        }
        if (!config.hostNetwork() && !config.portMappings().isEmpty()) {
            ArrayNode ports = body.putArray("portmappings");
            for (PortMapping mapping : config.portMappings()) {
                ObjectNode port = ports.addObject();
                port.put("container_port", mapping.containerPort());
                port.put("host_port", mapping.hostPort());
                port.put("protocol", mapping.protocol().name().toLowerCase(Locale.ROOT));
                if (mapping.hostIp() != null) {
                    port.put("host_ip", mapping.hostIp());
                }
            }
        }
        if (config.dns() != null) {
            putList(body, "dns_server", config.dns().servers());
            putList(body, "dns_search", config.dns().searches());
            putList(body, "dns_option", config.dns().options());
        }
        LibpodSecurity.putSandbox(body, config.linux());
        return body;
    }

    /**
     * The body of {@code POST /libpod/containers/create}. Kubernetes' command and args map to Podman's
     * entrypoint and command, which Podman combines with the image's the same way Kubernetes does: a given
     * entrypoint drops the image's command.
     */
    static ObjectNode containerCreate(
            String sandboxId, ContainerConfig config, PodSandboxConfig sandbox, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("name", PodmanLabels.containerName(config, sandbox));
        body.put("pod", sandboxId);
        body.put("image", config.image().reference());
        putList(body, "entrypoint", config.command());
        putList(body, "command", config.args());
        if (!config.environment().isEmpty()) {
            ObjectNode environment = body.putObject("env");
            for (EnvironmentVariable variable : config.environment()) {
                environment.put(variable.name(), variable.value());
            }
        }
        if (config.workingDirectory() != null) {
            body.put("work_dir", config.workingDirectory());
        }
        putStrings(body.putObject("labels"), PodmanLabels.forContainer(config, sandbox));
        if (!config.annotations().isEmpty()) {
            putStrings(body.putObject("annotations"), config.annotations());
        }
        body.put("terminal", config.tty());
        body.put("stdin", config.stdin());
        if (!config.mounts().isEmpty()) {
            ArrayNode mounts = body.putArray("mounts");
            for (Mount mount : config.mounts()) {
                ObjectNode entry = mounts.addObject();
                entry.put("type", "bind");
                entry.put("source", mount.hostPath());
                entry.put("destination", mount.containerPath());
                ArrayNode options = entry.putArray("options").add("rbind").add(mount.readOnly() ? "ro" : "rw");
                if (config.security().relabelMounts()) {
                    options.add("z");
                }
            }
        }
        LibpodSecurity.putContainer(body, config.security());
        if (config.cpuLimitMillicores() != null || config.memoryLimitBytes() != null || config.cpuShares() != null) {
            ObjectNode limits = body.putObject("resource_limits");
            if (config.memoryLimitBytes() != null) {
                // Swap limit = memory limit: Kubernetes containers get no swap.
                limits.putObject("memory")
                        .put("limit", config.memoryLimitBytes())
                        .put("swap", config.memoryLimitBytes());
            }
            if (config.cpuLimitMillicores() != null || config.cpuShares() != null) {
                ObjectNode cpu = limits.putObject("cpu");
                if (config.cpuShares() != null) {
                    cpu.put("shares", config.cpuShares());
                }
                if (config.cpuLimitMillicores() != null) {
                    cpu.put("quota", cpuQuotaMicros(config.cpuLimitMillicores()))
                            .put("period", CPU_PERIOD_MICROS);
                }
            }
        }
        if (config.logPath() != null) {
            body.putObject("log_configuration").put("driver", "k8s-file").put("path", config.logPath());
        }
        return body;
    }

    static long cpuQuotaMicros(long millicores) {
        return Math.max(MIN_CPU_QUOTA_MICROS, millicores * CPU_PERIOD_MICROS / 1000);
    }

    /** The body of {@code POST /libpod/containers/{id}/exec}. */
    static ObjectNode execCreate(ExecRequest request, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        ArrayNode command = body.putArray("Cmd");
        request.command().forEach(command::add);
        body.put("AttachStdin", request.stdin());
        body.put("AttachStdout", request.stdout());
        body.put("AttachStderr", request.stderr() && !request.tty());
        body.put("Tty", request.tty());
        return body;
    }

    /** The body of {@code POST /libpod/exec/{id}/start}. */
    static ObjectNode execStart(ExecRequest request, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("Detach", false);
        body.put("Tty", request.tty());
        if (request.tty() && request.terminalSize() != null) {
            body.put("h", request.terminalSize().height());
            body.put("w", request.terminalSize().width());
        }
        return body;
    }

    private static void putStrings(ObjectNode target, Map<String, String> values) {
        values.forEach(target::put);
    }

    private static void putList(ObjectNode body, String name, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = body.putArray(name);
            values.forEach(array::add);
        }
    }
}

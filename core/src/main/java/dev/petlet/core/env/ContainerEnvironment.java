package dev.petlet.core.env;

import java.util.List;
import java.util.Map;

/**
 * A container's resolved environment and its expanded command and args.
 *
 * @param variables the variables in the order the kubelet passes them (the container's own, then service links)
 * @param command the container's command with {@code $(VAR)} expanded
 * @param args the container's args with {@code $(VAR)} expanded
 * @param warnings what a user should hear about as a Warning event (reason {@code
 *     InvalidEnvironmentVariableNames}), e.g. skipped {@code envFrom} keys; the values are never in them
 */
public record ContainerEnvironment(
        Map<String, String> variables, List<String> command, List<String> args, List<String> warnings) {
    public ContainerEnvironment {
        variables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
        command = List.copyOf(command);
        args = List.copyOf(args);
        warnings = List.copyOf(warnings);
    }
}

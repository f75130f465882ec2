package dev.petlet.core.env;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Builds a container's environment as the kubelet's {@code makeEnvironmentVariables} does: service
 * link variables, then {@code envFrom} sources in order, then {@code env} entries in order (each
 * may refer to those before it with {@code $(VAR)}); then expands command and args with the result.
 * A missing required secret, configMap or key is a {@link ReferenceError} naming it.
 */
public final class EnvironmentResolver {
    /** The kubelet's {@code IsEnvVarName}: keys from {@code envFrom} that fail it are skipped. */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final ObjectSource objects;

    public EnvironmentResolver(ObjectSource objects) {
        this.objects = requireNonNull(objects, "objects");
    }

    public ContainerEnvironment resolve(Pod pod, Container container, PodFacts facts) throws ReferenceError {
        String namespace = pod.getMetadata().getNamespace();
        boolean serviceLinks = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        List<io.fabric8.kubernetes.api.model.Service> defaults = objects.services("default");
        List<io.fabric8.kubernetes.api.model.Service> inNamespace =
                !serviceLinks ? List.of() : namespace.equals("default") ? defaults : objects.services(namespace);
        Map<String, String> services = ServiceLinks.variables(serviceLinks, defaults, inNamespace, facts.apiServer());
        Map<String, String> own = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        Map<String, ConfigMap> configMaps = new HashMap<>();
        Map<String, Secret> secrets = new HashMap<>();
        for (EnvFromSource source : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
            String prefix = Optional.ofNullable(source.getPrefix()).orElse("");
            Map<String, String> values;
            String kind;
            String name;
            if (source.getConfigMapRef() != null) {
                kind = "configMap";
                name = source.getConfigMapRef().getName();
                Optional<ConfigMap> configMap = configMap(namespace, name, configMaps);
                if (configMap.isEmpty()) {
                    if (Boolean.TRUE.equals(source.getConfigMapRef().getOptional())) {
                        continue;
                    }
                    throw ReferenceError.configMapNotFound(name);
                }
                values = Optional.ofNullable(configMap.get().getData()).orElse(Map.of());
            } else if (source.getSecretRef() != null) {
                kind = "secret";
                name = source.getSecretRef().getName();
                Optional<Secret> secret = secret(namespace, name, secrets);
                if (secret.isEmpty()) {
                    if (Boolean.TRUE.equals(source.getSecretRef().getOptional())) {
                        continue;
                    }
                    throw ReferenceError.secretNotFound(name);
                }
                values = new LinkedHashMap<>();
                for (var entry : secretData(secret.get()).entrySet()) {
                    values.put(entry.getKey(), new String(entry.getValue(), StandardCharsets.UTF_8));
                }
            } else {
                continue;
            }
            TreeSet<String> invalid = new TreeSet<>();
            for (var entry : new java.util.TreeMap<>(values).entrySet()) {
                String key = prefix + entry.getKey();
                if (!VARIABLE_NAME.matcher(key).matches()) {
                    invalid.add(key);
                    continue;
                }
                own.put(key, entry.getValue());
            }
            if (!invalid.isEmpty()) {
                warnings.add("Keys [" + String.join(", ", invalid) + "] from the EnvFrom " + kind + " " + namespace
                        + "/" + name + " were skipped since they are considered invalid environment variable names.");
            }
        }
        for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            Optional<String> value = value(pod, container, facts, variable, own, services, configMaps, secrets);
            if (value.isPresent()) {
                own.remove(variable.getName()); // a redefinition moves to where it is defined last
                own.put(variable.getName(), value.get());
            }
        }
        Map<String, String> all = new LinkedHashMap<>(own);
        services.forEach(all::putIfAbsent);
        return new ContainerEnvironment(
                all, expandAll(container.getCommand(), all), expandAll(container.getArgs(), all), warnings);
    }

    /** The variable's value; empty when an optional reference is missing and the variable is left out. */
    private Optional<String> value(
            Pod pod,
            Container container,
            PodFacts facts,
            EnvVar variable,
            Map<String, String> own,
            Map<String, String> services,
            Map<String, ConfigMap> configMaps,
            Map<String, Secret> secrets)
            throws ReferenceError {
        EnvVarSource from = variable.getValueFrom();
        if (from == null) {
            String literal = Optional.ofNullable(variable.getValue()).orElse("");
            Map<String, String> context = new HashMap<>(services);
            context.putAll(own);
            return Optional.of(literal.isEmpty() ? "" : VariableExpansion.expand(literal, context));
        }
        String namespace = pod.getMetadata().getNamespace();
        if (from.getFieldRef() != null) {
            return Optional.of(
                    FieldReferences.value(pod, facts, from.getFieldRef().getFieldPath(), false));
        }
        if (from.getResourceFieldRef() != null) {
            var ref = from.getResourceFieldRef();
            return Optional.of(ResourceReferences.value(
                    pod, facts, ref.getContainerName(), ref.getResource(), ref.getDivisor(), container));
        }
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<ConfigMap> configMap = configMap(namespace, ref.getName(), configMaps);
            if (configMap.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw ReferenceError.configMapNotFound(ref.getName());
            }
            String value = Optional.ofNullable(configMap.get().getData())
                    .map(data -> data.get(ref.getKey()))
                    .orElse(null);
            if (value == null) {
                if (optional) {
                    return Optional.empty();
                }
                throw new ReferenceError(
                        "couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
            }
            return Optional.of(value);
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Secret> secret = secret(namespace, ref.getName(), secrets);
            if (secret.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw ReferenceError.secretNotFound(ref.getName());
            }
            byte[] value = secretData(secret.get()).get(ref.getKey());
            if (value == null) {
                if (optional) {
                    return Optional.empty();
                }
                throw new ReferenceError(
                        "couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
            }
            return Optional.of(new String(value, StandardCharsets.UTF_8));
        }
        throw new ReferenceError("environment variable " + variable.getName() + " of container " + container.getName()
                + " has a valueFrom petlet does not know");
    }

    private Optional<ConfigMap> configMap(String namespace, String name, Map<String, ConfigMap> seen) {
        ConfigMap known = seen.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ConfigMap> found = objects.configMap(namespace, name);
        found.ifPresent(c -> seen.put(name, c));
        return found;
    }

    private Optional<Secret> secret(String namespace, String name, Map<String, Secret> seen) {
        Secret known = seen.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Secret> found = objects.secret(namespace, name);
        found.ifPresent(s -> seen.put(name, s));
        return found;
    }

    /** The secret's decoded data, with {@code stringData} (set by clients, not returned by the API) on top. */
    public static Map<String, byte[]> secretData(Secret secret) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        Optional.ofNullable(secret.getData())
                .orElse(Map.of())
                .forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
        Optional.ofNullable(secret.getStringData())
                .orElse(Map.of())
                .forEach((key, value) -> data.put(key, value.getBytes(StandardCharsets.UTF_8)));
        return data;
    }

    private static List<String> expandAll(List<String> values, Map<String, String> variables) {
        List<String> expanded = new ArrayList<>();
        for (String value : Optional.ofNullable(values).orElse(List.of())) {
            expanded.add(VariableExpansion.expand(value, variables));
        }
        return expanded;
    }
}

package dev.petlet.provider.podman;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.RuntimeLabels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names and labels of the Podman objects this provider creates. Everything the SPI returns must be
 * recoverable from Podman alone, so the pod and container metadata live in labels ({@link RuntimeLabels}),
 * and what Podman cannot hold as such (annotations, the sandbox attempt) in labels under {@link
 * #INTERNAL_PREFIX}, which are hidden from callers.
 */
final class PodmanLabels {
    static final String INTERNAL_PREFIX = "io.petlet.podman.";
    /** The caller's annotations, as a JSON object. */
    static final String ANNOTATIONS = INTERNAL_PREFIX + "annotations";
    /**
     * "true" on a container whose stdin closes after the first attach session; without it an open stdin
     * stays open between sessions ({@link SharedAttach}).
     */
    static final String STDIN_ONCE = INTERNAL_PREFIX + "stdin-once";
    /** The sandbox attempt, in decimal. */
    static final String SANDBOX_ATTEMPT = INTERNAL_PREFIX + "sandbox-attempt";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {};

    private PodmanLabels() {}

    /** The Podman pod name of a sandbox: unique per pod UID and attempt, readable in {@code podman pod ps}. */
    static String sandboxName(PodSandboxConfig config) {
        return sanitize(config.namespace() + "_" + config.name() + "_" + config.podUid() + "_" + config.attempt());
    }

    /** The Podman container name of a container: unique per sandbox, container name and attempt. */
    static String containerName(ContainerConfig config, PodSandboxConfig sandbox) {
        return sanitize(sandboxName(sandbox) + "_" + config.name() + "_" + config.attempt());
    }

    static Map<String, String> forSandbox(PodSandboxConfig config) {
        Map<String, String> labels = new LinkedHashMap<>(config.labels());
        putPodMetadata(labels, config);
        labels.put(SANDBOX_ATTEMPT, Integer.toString(config.attempt()));
        labels.put(ANNOTATIONS, encode(config.annotations()));
        return labels;
    }

    static Map<String, String> forContainer(ContainerConfig config, PodSandboxConfig sandbox) {
        Map<String, String> labels = new LinkedHashMap<>(config.labels());
        putPodMetadata(labels, sandbox);
        labels.put(RuntimeLabels.CONTAINER_NAME, config.name());
        labels.put(RuntimeLabels.CONTAINER_RESTART_COUNT, Integer.toString(config.attempt()));
        if (config.stdinOnce()) {
            labels.put(STDIN_ONCE, "true");
        }
        labels.put(ANNOTATIONS, encode(config.annotations()));
        return labels;
    }

    /** The labels to show callers: everything but this provider's internal ones. */
    static Map<String, String> visible(Map<String, String> labels) {
        Map<String, String> visible = new TreeMap<>(labels);
        visible.keySet().removeIf(key -> key.startsWith(INTERNAL_PREFIX));
        return visible;
    }

    /** The annotations stored in the labels, or none if they are missing or unreadable. */
    static Map<String, String> annotations(Map<String, String> labels) {
        String encoded = labels.get(ANNOTATIONS);
        if (encoded == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(encoded, STRING_MAP);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    /** A decimal label as an int, or the fallback if it is missing or not a number. */
    static int intLabel(Map<String, String> labels, String key, int fallback) {
        String value = labels.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Whether {@code labels} holds every entry of {@code required}. */
    static boolean matches(Map<String, String> required, Map<String, String> labels) {
        for (Map.Entry<String, String> entry : required.entrySet()) {
            if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static void putPodMetadata(Map<String, String> labels, PodSandboxConfig sandbox) {
        labels.put(RuntimeLabels.POD_UID, sandbox.podUid());
        labels.put(RuntimeLabels.POD_NAMESPACE, sandbox.namespace());
        labels.put(RuntimeLabels.POD_NAME, sandbox.name());
    }

    private static String encode(Map<String, String> annotations) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(annotations));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    /** Podman names allow {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}; Kubernetes names already fit, UIDs too. */
    private static String sanitize(String name) {
        String cleaned = name.replaceAll("[^a-zA-Z0-9_.-]", "-");
        return Character.isLetterOrDigit(cleaned.charAt(0)) ? cleaned : "p" + cleaned;
    }
}

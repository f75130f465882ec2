package dev.petlet.core.env;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of downward API {@code fieldRef}s, as the kubelet computes them
 * ({@code podFieldSelectorRuntimeValue} and {@code ExtractFieldPathAsString}).
 */
public final class FieldReferences {
    private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

    private FieldReferences() {}

    /**
     * @param wholeMaps whether {@code metadata.labels} and {@code metadata.annotations} are allowed (volumes only)
     */
    public static String value(Pod pod, PodFacts facts, String fieldPath, boolean wholeMaps) throws ReferenceError {
        var metadata = pod.getMetadata();
        var spec = pod.getSpec();
        Matcher subscript = SUBSCRIPT.matcher(fieldPath);
        if (subscript.matches()) {
            Map<String, String> map =
                    subscript.group(1).equals("labels") ? metadata.getLabels() : metadata.getAnnotations();
            return Optional.ofNullable(map).map(m -> m.get(subscript.group(2))).orElse("");
        }
        return switch (fieldPath) {
            case "metadata.name" -> metadata.getName();
            case "metadata.namespace" -> metadata.getNamespace();
            case "metadata.uid" -> metadata.getUid();
            case "spec.nodeName" -> orEmpty(spec.getNodeName());
            case "spec.serviceAccountName" -> orEmpty(spec.getServiceAccountName());
            case "status.hostIP" ->
                facts.hostIPs().isEmpty() ? "" : facts.hostIPs().get(0);
            case "status.hostIPs" -> String.join(",", facts.hostIPs());
            case "status.podIP" ->
                facts.podIPs().isEmpty() ? "" : facts.podIPs().get(0);
            case "status.podIPs" -> String.join(",", facts.podIPs());
            case "metadata.labels" -> {
                if (!wholeMaps) {
                    throw unsupported(fieldPath);
                }
                yield formatMap(metadata.getLabels());
            }
            case "metadata.annotations" -> {
                if (!wholeMaps) {
                    throw unsupported(fieldPath);
                }
                yield formatMap(metadata.getAnnotations());
            }
            default -> throw unsupported(fieldPath);
        };
    }

    /** {@code key="value"} lines sorted by key, values quoted as Go's {@code %q} does, no final newline. */
    static String formatMap(Map<String, String> map) {
        StringBuilder out = new StringBuilder();
        for (var entry : new TreeMap<>(Optional.ofNullable(map).orElse(Map.of())).entrySet()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(entry.getKey()).append('=').append(quote(entry.getValue()));
        }
        return out.toString();
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static ReferenceError unsupported(String fieldPath) {
        return new ReferenceError("unsupported fieldPath: " + fieldPath);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}

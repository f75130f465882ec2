package dev.petlet.provider.podman;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.PodSandboxFilter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the {@code filters} query parameter of libpod list calls: a URL-encoded JSON object of string
 * arrays, e.g. {@code {"label":["io.petlet.pod.uid=1234"],"pod":["5678"]}}. Podman narrows the list on its
 * side; callers still check every entry, since the state filter is applied here, not by Podman.
 */
final class LibpodFilters {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LibpodFilters() {}

    /** The query string (starting with {@code ?}, or empty) for listing containers. */
    static String containers(ContainerFilter filter) {
        ObjectNode filters = JSON.createObjectNode();
        addLabels(filters, filter.labels());
        add(filters, "id", filter.id());
        add(filters, "pod", filter.sandboxId());
        return toQuery(filters, "all=true");
    }

    /** The query string (starting with {@code ?}, or empty) for listing pods. */
    static String pods(PodSandboxFilter filter) {
        ObjectNode filters = JSON.createObjectNode();
        addLabels(filters, filter.labels());
        add(filters, "id", filter.id());
        return toQuery(filters, null);
    }

    /** The query string for the event stream: containers and pods, from now on. */
    static String events() {
        ObjectNode filters = JSON.createObjectNode();
        filters.putArray("type").add("container").add("pod");
        return toQuery(filters, "stream=true");
    }

    /** {@code key=value} encoded for a query string. */
    static String parameter(String key, String value) {
        return key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void addLabels(ObjectNode filters, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return;
        }
        ArrayNode values = filters.putArray("label");
        new TreeMap<>(labels).forEach((key, value) -> values.add(key + "=" + value));
    }

    private static void add(ObjectNode filters, String name, String value) {
        if (value != null) {
            filters.putArray(name).add(value);
        }
    }

    private static String toQuery(ObjectNode filters, String fixed) {
        StringBuilder query = new StringBuilder();
        if (fixed != null) {
            query.append('?').append(fixed);
        }
        if (!filters.isEmpty()) {
            query.append(query.isEmpty() ? '?' : '&').append(parameter("filters", filters.toString()));
        }
        return query.toString();
    }
}

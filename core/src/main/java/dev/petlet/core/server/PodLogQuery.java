package dev.petlet.core.server;

import dev.petlet.spi.runtime.LogOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The query of {@code /containerLogs}, decoded as the kubelet decodes a v1 {@code PodLogOptions}: booleans are
 * true unless absent, {@code false} or {@code 0} ({@code ?follow} alone is true); numbers must parse (400 otherwise) and be in range
 * (422); the legacy {@code tail} replaces {@code tailLines}, with {@code all} meaning the whole log.
 *
 * @param options what to ask the runtime for
 * @param previous whether to read the previous instance of the container
 */
record PodLogQuery(LogOptions options, boolean previous) {

    static PodLogQuery parse(Map<String, List<String>> query, Clock clock) throws RequestError {
        boolean follow = bool(query, "follow");
        boolean previous = bool(query, "previous");
        boolean timestamps = bool(query, "timestamps");
        String tail = first(query, "tail");
        Long tailLines;
        if (tail != null && !tail.isEmpty()) {
            tailLines = tail.equals("all") ? null : number("tail", tail);
        } else {
            tailLines = number("tailLines", first(query, "tailLines"));
        }
        Long sinceSeconds = number("sinceSeconds", first(query, "sinceSeconds"));
        Long limitBytes = number("limitBytes", first(query, "limitBytes"));
        Instant sinceTime = time("sinceTime", first(query, "sinceTime"));
        String stream = first(query, "stream");

        List<String> invalid = new ArrayList<>();
        if (tailLines != null && tailLines < 0) {
            invalid.add("tailLines: must be greater than or equal to 0");
        }
        if (limitBytes != null && limitBytes < 1) {
            invalid.add("limitBytes: must be greater than 0");
        }
        if (sinceSeconds != null && sinceTime != null) {
            invalid.add("at most one of `sinceTime` or `sinceSeconds` may be specified");
        } else if (sinceSeconds != null && sinceSeconds < 1) {
            invalid.add("sinceSeconds: must be greater than 0");
        }
        boolean stdout = true;
        boolean stderr = true;
        if (stream != null && !stream.isEmpty()) {
            switch (stream) {
                case "All" -> {}
                case "Stdout" -> stderr = false;
                case "Stderr" -> stdout = false;
                default -> invalid.add("stream: supported values: \"All\", \"Stdout\", \"Stderr\"");
            }
            if (!stream.equals("All") && tailLines != null) {
                invalid.add("`tailLines` and specific `stream` are mutually exclusive for now");
            }
        }
        if (!invalid.isEmpty()) {
            throw new RequestError(422, "Invalid request: " + String.join("; ", invalid));
        }
        Instant since = sinceTime != null
                ? sinceTime
                : sinceSeconds != null ? clock.instant().minusSeconds(sinceSeconds) : null;
        Integer lines = tailLines == null ? null : (int) Math.min(tailLines, Integer.MAX_VALUE);
        return new PodLogQuery(new LogOptions(follow, lines, timestamps, since, limitBytes, stdout, stderr), previous);
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** Kubernetes' query booleans (apimachinery's {@code Convert_Slice_string_To_bool}). */
    private static boolean bool(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return false;
        }
        String value = values.getFirst().toLowerCase(java.util.Locale.ROOT);
        return !value.equals("false") && !value.equals("0");
    }

    private static Long number(String name, String value) throws RequestError {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw RequestError.badRequest(
                    "Unable to decode query: " + name + " must be an integer, got \"" + value + "\"");
        }
    }

    private static Instant time(String name, String value) throws RequestError {
        if (value == null || value.isEmpty() || value.equals("null")) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw RequestError.badRequest("Unable to decode query: " + name + " must be an RFC 3339 time such as "
                    + "2006-01-02T15:04:05Z, got \"" + value + "\"");
        }
    }
}

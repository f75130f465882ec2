package dev.petlet.provider.podman;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Turns Podman's error answers into {@link ProviderException}s. Podman 4.3 reports many semantic errors as
 * HTTP 500 and says what happened in the {@code cause} field of its error body ({@code {"cause": "no such
 * pod", "message": "...", "response": 500}}), so the cause decides first and the status only after.
 */
final class PodmanErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> ALREADY_EXISTS_CAUSES = List.of("already in use", "already exists");
    private static final List<String> START_FAILURE_CAUSES =
            List.of("oci runtime", "executable file not found", "permission denied");
    private static final List<String> NOT_FOUND_CAUSES = List.of(
            "no such container",
            "no such pod",
            "no such image",
            "image not known",
            "no such exec session",
            "no such object");
    private static final List<String> INVALID_CAUSES = List.of(
            "container state improper",
            "in use by a container",
            "invalid argument",
            "invalid reference format",
            "pod has containers");

    private static final List<String> PULL_UNAUTHENTICATED =
            List.of("unauthorized", "authentication required", "denied", "incorrect username or password");
    private static final List<String> PULL_NOT_FOUND = List.of("manifest unknown", "name unknown", "not found");
    private static final List<String> PULL_INVALID =
            List.of("invalid reference format", "short-name", "repository name must", "invalid argument");
    private static final List<String> PULL_UNAVAILABLE = List.of(
            "connection refused",
            "no such host",
            "i/o timeout",
            "timeout",
            "network is unreachable",
            "name resolution",
            "dial tcp",
            "tls",
            "http response to https client",
            "connection reset",
            "eof");

    private PodmanErrors() {}

    /**
     * The exception for an unsuccessful answer.
     *
     * @param action what was being done, e.g. "start container 3f2a"
     * @param status the HTTP status
     * @param body Podman's error body
     */
    static ProviderException fromResponse(String action, int status, byte[] body) {
        String cause = "";
        String message = new String(body, StandardCharsets.UTF_8).trim();
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.isObject()) {
                cause = error.path("cause").asText("");
                message = error.path("message").asText(message);
            }
        } catch (IOException notJson) {
            // Keep the raw text as the message.
        }
        if (message.isEmpty()) {
            message = "HTTP " + status;
        }
        return new ProviderException(classify(status, cause, message), "Podman could not " + action + ": " + message);
    }

    /** The code for an error answer, from its cause (or message) first and its HTTP status second. */
    static ErrorCode classify(int status, String cause, String message) {
        String text = (cause + " " + message).toLowerCase(Locale.ROOT);
        if (containsAny(text, ALREADY_EXISTS_CAUSES)) {
            return ErrorCode.ALREADY_EXISTS;
        }
        if (containsAny(text, START_FAILURE_CAUSES)) {
            return ErrorCode.INVALID;
        }
        if (containsAny(text, NOT_FOUND_CAUSES)) {
            return ErrorCode.NOT_FOUND;
        }
        if (containsAny(text, INVALID_CAUSES)) {
            return ErrorCode.INVALID;
        }
        return switch (status) {
            case 400 -> ErrorCode.INVALID;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.ALREADY_EXISTS;
            case 501 -> ErrorCode.UNSUPPORTED;
            case 502, 503, 504 -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
    }

    /** The exception for the {@code error} a pull stream ended with. */
    static ProviderException fromPullError(String image, String error) {
        ErrorCode code = classifyPullError(error);
        String advice = switch (code) {
            case UNAUTHENTICATED -> "; check the pod's image pull secrets for this registry";
            case NOT_FOUND -> "; check the image name and tag";
            case UNAVAILABLE -> "; check that the registry is reachable from this node";
            default -> "";
        };
        return new ProviderException(code, "pulling image " + image + " failed: " + error + advice);
    }

    /** The code for a pull error, by the registry's or the network's wording. */
    static ErrorCode classifyPullError(String error) {
        String text = error.toLowerCase(Locale.ROOT);
        if (containsAny(text, PULL_INVALID)) {
            return ErrorCode.INVALID;
        }
        if (containsAny(text, PULL_UNAUTHENTICATED)) {
            return ErrorCode.UNAUTHENTICATED;
        }
        if (containsAny(text, PULL_NOT_FOUND)) {
            return ErrorCode.NOT_FOUND;
        }
        if (containsAny(text, PULL_UNAVAILABLE)) {
            return ErrorCode.UNAVAILABLE;
        }
        return ErrorCode.INTERNAL;
    }

    private static boolean containsAny(String text, List<String> needles) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}

package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/**
 * What a request to the kubelet API asks to do, as a SubjectAccessReview on the Node: {@code verb} on {@code
 * nodes/<subresource>} named after the node (apiVersion v1, group "", no namespace). Also the key of the
 * authorization cache.
 */
record AuthorizationAttributes(User user, String verb, String subresource, String nodeName) {
    static final String RESOURCE = "nodes";

    AuthorizationAttributes {
        requireNonNull(user, "user");
        requireNonNull(verb, "verb");
        requireNonNull(subresource, "subresource");
        requireNonNull(nodeName, "nodeName");
    }

    /**
     * The attributes to authorize a request with, in order; the request is allowed if any is allowed. As the
     * kubelet with {@code KubeletFineGrainedAuthz}: {@code /pods} and {@code /runningpods} try {@code pods} before
     * {@code proxy}, {@code /healthz} tries {@code healthz}, {@code /configz} tries {@code configz}.
     */
    static List<AuthorizationAttributes> forRequest(User user, HttpMethod method, String path, String nodeName) {
        String verb = verb(method);
        String subresource = subresource(path);
        String fineGrained = null;
        if (isSubpath(path, "/pods") || isSubpath(path, "/runningpods")) {
            fineGrained = "pods";
        } else if (isSubpath(path, "/healthz")) {
            fineGrained = "healthz";
        } else if (isSubpath(path, "/configz")) {
            fineGrained = "configz";
        }
        AuthorizationAttributes attributes = new AuthorizationAttributes(user, verb, subresource, nodeName);
        return fineGrained == null
                ? List.of(attributes)
                : List.of(new AuthorizationAttributes(user, verb, fineGrained, nodeName), attributes);
    }

    /** The API verb of an HTTP method, empty for methods the kubelet does not map (which no role allows). */
    static String verb(HttpMethod method) {
        return switch (method.name()) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
        };
    }

    /** The subresource of a path; everything the kubelet does not subdivide, exec and logs included, is proxy. */
    static String subresource(String path) {
        if (isSubpath(path, "/stats")) {
            return "stats";
        }
        if (isSubpath(path, "/metrics")) {
            return "metrics";
        }
        if (isSubpath(path, "/logs")) {
            return "log";
        }
        if (isSubpath(path, "/spec")) {
            return "spec";
        }
        if (isSubpath(path, "/checkpoint")) {
            return "checkpoint";
        }
        return "proxy";
    }

    /** Whether {@code path} is {@code parent} or below it, segment-wise. */
    private static boolean isSubpath(String path, String parent) {
        return path.equals(parent) || (path.startsWith(parent) && path.charAt(parent.length()) == '/');
    }

    /** The kubelet's 403 body. */
    static String forbiddenMessage(List<AuthorizationAttributes> tried) {
        AuthorizationAttributes first = tried.getFirst();
        List<String> subresources =
                tried.stream().map(AuthorizationAttributes::subresource).toList();
        return "Forbidden (user=" + first.user().name() + ", verb=" + first.verb() + ", resource=" + RESOURCE
                + ", subresource(s)=[" + String.join(" ", subresources) + "])\n";
    }
}

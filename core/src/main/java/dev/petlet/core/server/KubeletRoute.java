package dev.petlet.core.server;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The routes of the kubelet API that petlet serves, matched from a request path. */
sealed interface KubeletRoute {
    Set<HttpMethod> GET = Set.of(HttpMethod.GET);
    Set<HttpMethod> GET_OR_POST = Set.of(HttpMethod.GET, HttpMethod.POST);

    /** The methods the route answers; others get 405 with an {@code Allow} header. */
    default Set<HttpMethod> methods() {
        return GET;
    }

    /** Whether the route is one of the kubelet's debugging handlers, off with {@code enableDebuggingHandlers}. */
    default boolean debugging() {
        return false;
    }

    /** {@code /healthz} and its subchecks; all answer "ok" while the server runs. */
    record Healthz() implements KubeletRoute {
        @Override
        public Set<HttpMethod> methods() {
            return Set.of(HttpMethod.GET, HttpMethod.HEAD);
        }
    }

    /** {@code /pods}: the desired pods. */
    record Pods() implements KubeletRoute {}

    /** {@code /runningpods/}: the pods as the runtime holds them. */
    record RunningPods() implements KubeletRoute {
        @Override
        public boolean debugging() {
            return true;
        }
    }

    /** {@code /configz}: the effective configuration. */
    record Configz() implements KubeletRoute {}

    /** {@code /stats/summary}: the Summary API. */
    record StatsSummary() implements KubeletRoute {
        @Override
        public Set<HttpMethod> methods() {
            return GET_OR_POST;
        }
    }

    /** {@code /metrics/resource}: the resource metrics metrics-server scrapes. */
    record ResourceMetrics() implements KubeletRoute {}

    /** {@code /containerLogs/{namespace}/{pod}/{container}}. */
    record ContainerLogs(String namespace, String pod, String container) implements KubeletRoute {
        @Override
        public boolean debugging() {
            return true;
        }
    }

    /**
     * {@code /exec} and {@code /attach} ({@code /{namespace}/{pod}[/{uid}]/{container}}) and {@code
     * /portForward/{namespace}/{pod}[/{uid}]}: upgraded to SPDY or WebSocket streams.
     *
     * @param uid nullable: the pod UID if the path names one
     * @param container nullable: the container, {@code null} for port-forward
     */
    record Stream(StreamKind kind, String namespace, String pod, String uid, String container) implements KubeletRoute {
        @Override
        public Set<HttpMethod> methods() {
            return GET_OR_POST;
        }

        @Override
        public boolean debugging() {
            return true;
        }
    }

    /** What a stream route opens. */
    enum StreamKind {
        EXEC,
        ATTACH,
        PORT_FORWARD
    }

    /** The route of a raw (still percent-encoded) path, or empty for 404. */
    static Optional<KubeletRoute> match(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return Optional.empty();
        }
        List<String> segments =
                new ArrayList<>(Arrays.asList(rawPath.substring(1).split("/", -1)));
        if (segments.size() > 1 && segments.getLast().isEmpty()) {
            segments.removeLast(); // one trailing slash, as in /runningpods/
        }
        if (segments.stream().anyMatch(String::isEmpty)) {
            return Optional.empty();
        }
        List<String> s = segments.stream()
                .map(segment -> QueryStringDecoder.decodeComponent(segment))
                .toList();
        int n = s.size();
        return Optional.ofNullable(
                switch (s.getFirst()) {
                    case "healthz" ->
                        n == 1 || (n == 2 && Set.of("ping", "log", "syncloop").contains(s.get(1)))
                                ? new Healthz()
                                : null;
                    case "pods" -> n == 1 ? new Pods() : null;
                    case "runningpods" -> n == 1 ? new RunningPods() : null;
                    case "configz" -> n == 1 ? new Configz() : null;
                    case "stats" -> n == 2 && s.get(1).equals("summary") ? new StatsSummary() : null;
                    case "metrics" -> n == 2 && s.get(1).equals("resource") ? new ResourceMetrics() : null;
                    case "containerLogs" -> n == 4 ? new ContainerLogs(s.get(1), s.get(2), s.get(3)) : null;
                    case "exec", "attach" -> {
                        StreamKind kind = s.getFirst().equals("exec") ? StreamKind.EXEC : StreamKind.ATTACH;
                        yield switch (n) {
                            case 4 -> new Stream(kind, s.get(1), s.get(2), null, s.get(3));
                            case 5 -> new Stream(kind, s.get(1), s.get(2), s.get(3), s.get(4));
                            default -> null;
                        };
                    }
                    case "portForward" ->
                        switch (n) {
                            case 3 -> new Stream(StreamKind.PORT_FORWARD, s.get(1), s.get(2), null, null);
                            case 4 -> new Stream(StreamKind.PORT_FORWARD, s.get(1), s.get(2), s.get(3), null);
                            default -> null;
                        };
                    default -> null;
                });
    }
}

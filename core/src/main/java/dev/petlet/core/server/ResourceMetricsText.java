package dev.petlet.core.server;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The kubelet's resource metrics ({@code GET /metrics/resource}) in the Prometheus text format, as its Go
 * registry writes them: families sorted by name, empty ones left out, series sorted by label values, labels by
 * name, values as Go's shortest {@code %g}, and a millisecond timestamp on every usage sample. What
 * metrics-server reads for {@code kubectl top}.
 *
 * <p>The kubelet's deprecated {@code scrape_error} (deprecated in 1.29) is hidden in 1.33, so only {@code
 * resource_scrape_error} is written.
 */
final class ResourceMetricsText {
    /** The content type of client_golang's text exposition. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores";

    private ResourceMetricsText() {}

    private record Series(String labels, double value, Instant timestamp) {}

    /** The exposition of a sample, or of a failed one ({@code summary} null) with only the scrape error set. */
    static String of(UsageSummary summary) {
        StringBuilder out = new StringBuilder();
        if (summary != null) {
            List<UsageSummary.Pod> pods = summary.pods();
            family(
                    out,
                    "container_cpu_usage_seconds_total",
                    "Cumulative cpu time consumed by the container in core-seconds",
                    "counter",
                    containers(
                            pods,
                            c -> seconds(c.cpu().usageCoreNanoSeconds()),
                            c -> c.cpu().time()));
            family(
                    out,
                    "container_memory_working_set_bytes",
                    "Current working set of the container in bytes",
                    "gauge",
                    containers(
                            pods,
                            c -> (double) c.memory().workingSetBytes(),
                            c -> c.memory().time()));
            family(
                    out,
                    "container_start_time_seconds",
                    "Start time of the container since unix epoch in seconds",
                    "gauge",
                    containers(
                            pods,
                            c -> c.startTime().getEpochSecond() + c.startTime().getNano() / 1e9,
                            c -> null));
            UsageSummary.Node node = summary.node();
            family(
                    out,
                    "node_cpu_usage_seconds_total",
                    "Cumulative cpu time consumed by the node in core-seconds",
                    "counter",
                    List.of(new Series(
                            "",
                            seconds(node.cpu().usageCoreNanoSeconds()),
                            node.cpu().time())));
            family(
                    out,
                    "node_memory_working_set_bytes",
                    "Current working set of the node in bytes",
                    "gauge",
                    List.of(new Series(
                            "", node.memory().workingSetBytes(), node.memory().time())));
            family(
                    out,
                    "pod_cpu_usage_seconds_total",
                    "Cumulative cpu time consumed by the pod in core-seconds",
                    "counter",
                    pods.stream()
                            .map(p -> new Series(
                                    podLabels(p),
                                    seconds(p.cpu().usageCoreNanoSeconds()),
                                    p.cpu().time()))
                            .sorted(Comparator.comparing(Series::labels))
                            .toList());
            family(
                    out,
                    "pod_memory_working_set_bytes",
                    "Current working set of the pod in bytes",
                    "gauge",
                    pods.stream()
                            .map(p -> new Series(
                                    podLabels(p),
                                    p.memory().workingSetBytes(),
                                    p.memory().time()))
                            .sorted(Comparator.comparing(Series::labels))
                            .toList());
        }
        family(
                out,
                "resource_scrape_error",
                "1 if there was an error while getting container metrics, 0 otherwise",
                "gauge",
                List.of(new Series("", summary == null ? 1 : 0, null)));
        return out.toString();
    }

    private static List<Series> containers(
            List<UsageSummary.Pod> pods,
            Function<UsageSummary.Container, Double> value,
            Function<UsageSummary.Container, Instant> timestamp) {
        return pods.stream()
                .flatMap(p -> p.containers().stream()
                        .map(c -> new Series(
                                "container=\"" + escape(c.name()) + "\"," + podLabels(p),
                                value.apply(c),
                                timestamp.apply(c))))
                .sorted(Comparator.comparing(Series::labels))
                .toList();
    }

    /** The {@code namespace} and {@code pod} labels, in the order the registry sorts label names. */
    private static String podLabels(UsageSummary.Pod pod) {
        return "namespace=\"" + escape(pod.namespace()) + "\",pod=\"" + escape(pod.name()) + "\"";
    }

    private static void family(StringBuilder out, String name, String help, String type, List<Series> series) {
        if (series.isEmpty()) {
            return;
        }
        out.append("# HELP ").append(name).append(" [STABLE] ").append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (Series s : series) {
            out.append(name);
            if (!s.labels().isEmpty()) {
                out.append('{').append(s.labels()).append('}');
            }
            out.append(' ').append(goFloat(s.value()));
            if (s.timestamp() != null) {
                out.append(' ').append(s.timestamp().toEpochMilli());
            }
            out.append('\n');
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** A label value with backslash, double quote and line feed escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /**
     * A value as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}: the shortest digits that read back the same,
     * in exponent form ({@code 1.208786944e+09}) when the exponent is below -4 or at least 6.
     */
    static String goFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = decimal.unscaledValue().toString();
        int exponent = digits.length() - decimal.scale() - 1;
        String sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int magnitude = Math.abs(exponent);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + magnitude;
        }
        return sign + decimal.toPlainString();
    }
}

package dev.petlet.core.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.petlet.core.node.NodeLabelPolicy;
import dev.petlet.core.node.NodeSettings;
import dev.petlet.core.node.NodeTaint;
import dev.petlet.core.node.TaintEffect;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the YAML text into a {@link PetletConfig}, collecting every problem as {@code key.path: reason} so the
 * user fixes the file in one go.
 */
final class ConfigParser {
    static final List<String> KEYS = List.of(
            "nodeName",
            "kubeconfig",
            "stateDir",
            "kubeletPort",
            "labels",
            "taints",
            "nodeIP",
            "externalIP",
            "maxPods",
            "clusterDNS",
            "clusterDomain",
            "runtime",
            "reserved",
            "statusUpdateFrequency",
            "statusReportFrequency",
            "volumeDrivers",
            "bootstrapKubeconfig",
            "rotateCertificates",
            "serverTLSBootstrap");

    static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/petlet");
    static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
    static final String DEFAULT_RUNTIME = "podman";
    static final Map<String, String> DEFAULT_PODMAN_CONFIG = Map.of("socket", "/run/podman/podman.sock");
    static final Duration DEFAULT_STATUS_UPDATE_FREQUENCY = Duration.ofSeconds(10);
    static final Duration DEFAULT_STATUS_REPORT_FREQUENCY = Duration.ofMinutes(5);
    static final int MAX_PODS_LIMIT = 1000;
    static final Set<String> RESERVABLE_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private final String source;
    private final Path baseDirectory;
    private final HostDefaults host;
    private final List<String> problems = new ArrayList<>();

    ConfigParser(String source, Path baseDirectory, HostDefaults host) {
        this.source = requireNonNull(source, "source");
        this.baseDirectory = requireNonNull(baseDirectory, "baseDirectory");
        this.host = requireNonNull(host, "host");
    }

    PetletConfig parse(String yaml) throws ConfigException {
        JsonNode root = readTree(yaml);
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = new ObjectMapper().createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(
                    source, List.of("the configuration must be a YAML mapping of keys such as nodeName: my-node"));
        }
        rejectUnknownKeys(root);

        String nodeName = present(root, "nodeName")
                ? string(root, "nodeName")
                        .filter(
                                name -> check(
                                        isDnsSubdomain(name),
                                        "nodeName",
                                        "'" + name
                                                + "' is not a valid node name: lower-case letters, digits, '-' and '.', at most 253"))
                        .orElse("")
                : defaultNodeName();
        Optional<Path> kubeconfig = string(root, "kubeconfig").flatMap(text -> path("kubeconfig", text));
        Path stateDir =
                string(root, "stateDir").flatMap(text -> path("stateDir", text)).orElse(DEFAULT_STATE_DIR);
        int kubeletPort = integer(root, "kubeletPort", 1, 65535).orElse(NodeSettings.DEFAULT_KUBELET_PORT);
        Map<String, String> labels = labels(root.get("labels"));
        List<NodeTaint> taints = taints(root.get("taints"));
        String nodeIP = present(root, "nodeIP")
                ? string(root, "nodeIP")
                        .filter(ip -> check(isIpAddress(ip), "nodeIP", "'" + ip + "' is not an IP address"))
                        .orElse("")
                : defaultNodeIP();
        Optional<String> externalIP = string(root, "externalIP")
                .filter(ip -> check(isIpAddress(ip), "externalIP", "'" + ip + "' is not an IP address"));
        int maxPods = integer(root, "maxPods", 1, MAX_PODS_LIMIT).orElse(NodeSettings.DEFAULT_MAX_PODS);
        List<String> clusterDNS = clusterDNS(root.get("clusterDNS"));
        String clusterDomain = string(root, "clusterDomain")
                .filter(domain ->
                        check(isDnsSubdomain(domain), "clusterDomain", "'" + domain + "' is not a DNS domain"))
                .orElse(DEFAULT_CLUSTER_DOMAIN);
        RuntimeSelection runtime = runtime(root.get("runtime"));
        List<VolumeDriverSelection> volumeDrivers = volumeDrivers(root.get("volumeDrivers"));
        Map<String, String> reserved = reserved(root.get("reserved"));
        Optional<Duration> update = duration(root, "statusUpdateFrequency");
        Duration statusUpdateFrequency = update.orElse(DEFAULT_STATUS_UPDATE_FREQUENCY);
        // As the kubelet: setting only the update frequency makes it the report frequency too.
        Duration statusReportFrequency = duration(root, "statusReportFrequency")
                .orElse(update.isPresent() ? statusUpdateFrequency : DEFAULT_STATUS_REPORT_FREQUENCY);
        if (statusReportFrequency.compareTo(statusUpdateFrequency) < 0) {
            problems.add("statusReportFrequency: must not be shorter than statusUpdateFrequency ("
                    + statusUpdateFrequency.toSeconds() + "s), got " + statusReportFrequency.toSeconds() + "s");
        }

        Optional<Path> bootstrapKubeconfig =
                string(root, "bootstrapKubeconfig").flatMap(text -> path("bootstrapKubeconfig", text));
        boolean rotateCertificates = bool(root, "rotateCertificates").orElse(false);
        boolean serverTLSBootstrap = bool(root, "serverTLSBootstrap").orElse(false);
        if (serverTLSBootstrap && !rotateCertificates) {
            problems.add("serverTLSBootstrap: needs rotateCertificates: true (the serving certificate is requested "
                    + "and renewed with the node's rotating client certificate)");
        }

        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new PetletConfig(
                nodeName,
                kubeconfig,
                stateDir,
                kubeletPort,
                labels,
                taints,
                nodeIP,
                externalIP,
                maxPods,
                clusterDNS,
                clusterDomain,
                runtime,
                reserved,
                statusUpdateFrequency,
                statusReportFrequency,
                volumeDrivers,
                bootstrapKubeconfig,
                rotateCertificates,
                serverTLSBootstrap);
    }

    private Optional<Boolean> bool(JsonNode root, String key) {
        JsonNode value = root.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            problems.add(key + ": must be true or false, got " + value);
            return Optional.empty();
        }
        return Optional.of(value.asBoolean());
    }

    private JsonNode readTree(String yaml) throws ConfigException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            return mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : "line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": ";
            throw new ConfigException(source, List.of(where + "not valid YAML: " + e.getOriginalMessage()));
        }
    }

    private void rejectUnknownKeys(JsonNode root) {
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String key = entry.getKey();
            if (!KEYS.contains(key)) {
                Optional<String> likely = KEYS.stream()
                        .filter(known -> known.equalsIgnoreCase(key))
                        .findFirst();
                problems.add(key + ": unknown key"
                        + likely.map(known -> "; did you mean " + known + "?")
                                .orElse("; the keys are " + String.join(", ", KEYS)));
            }
        }
    }

    private String defaultNodeName() {
        String name = host.hostname().toLowerCase(Locale.ROOT);
        check(
                isDnsSubdomain(name),
                "nodeName",
                "not set, and the host name '" + name + "' is not a valid node name; set nodeName");
        return name;
    }

    private String defaultNodeIP() {
        Optional<String> address = host.primaryIPv4();
        check(address.isPresent(), "nodeIP", "not set, and this host has no IPv4 address to default to; set nodeIP");
        return address.orElse("");
    }

    private Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return labels;
        }
        if (!node.isObject()) {
            problems.add("labels: must be a mapping of label keys to values, e.g. disk: ssd");
            return labels;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = entry.getKey();
            String path = "labels." + key;
            Optional<String> keyProblem = labelKeyProblem(key);
            if (keyProblem.isPresent()) {
                problems.add(path + ": " + keyProblem.get());
                continue;
            }
            Optional<String> forbidden = NodeLabelPolicy.forbiddenReason(key);
            if (forbidden.isPresent()) {
                problems.add(path + ": " + forbidden.get());
                continue;
            }
            JsonNode value = entry.getValue();
            if (!value.isTextual()) {
                problems.add(path + ": must be a string; put the value in quotes");
                continue;
            }
            if (!isLabelValue(value.asText())) {
                problems.add(path + ": '" + value.asText() + "' is not a label value: at most 63 letters, digits,"
                        + " '-', '_' or '.', starting and ending with a letter or digit");
                continue;
            }
            labels.put(key, value.asText());
        }
        return labels;
    }

    private List<NodeTaint> taints(JsonNode node) {
        List<NodeTaint> taints = new ArrayList<>();
        if (node == null || node.isNull()) {
            return taints;
        }
        if (!node.isArray()) {
            problems.add("taints: must be a list, e.g. [\"dedicated=gpu:NoSchedule\"]");
            return taints;
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "taints[" + i + "]";
            Optional<NodeTaint> taint = taint(path, node.get(i));
            if (taint.isEmpty()) {
                continue;
            }
            boolean duplicate = taints.stream()
                    .anyMatch(t -> t.key().equals(taint.get().key())
                            && t.effect() == taint.get().effect());
            if (duplicate) {
                problems.add(path + ": a taint with key " + taint.get().key() + " and effect "
                        + taint.get().effect().apiValue() + " is listed twice");
                continue;
            }
            taints.add(taint.get());
        }
        return taints;
    }

    private Optional<NodeTaint> taint(String path, JsonNode node) {
        String key;
        String value;
        String effect;
        if (node.isTextual()) {
            String text = node.asText();
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                problems.add(path + ": '" + text + "' is not a taint like key=value:NoSchedule or key:NoExecute");
                return Optional.empty();
            }
            effect = text.substring(colon + 1);
            String keyAndValue = text.substring(0, colon);
            int equals = keyAndValue.indexOf('=');
            key = equals < 0 ? keyAndValue : keyAndValue.substring(0, equals);
            value = equals < 0 ? "" : keyAndValue.substring(equals + 1);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!Set.of("key", "value", "effect").contains(entry.getKey())) {
                    problems.add(path + "." + entry.getKey() + ": unknown key; a taint has key, value and effect");
                }
            }
            key = node.path("key").asText("");
            value = node.path("value").asText("");
            effect = node.path("effect").asText("");
        } else {
            problems.add(path + ": must be a string like key=value:NoSchedule or a mapping with key, value, effect");
            return Optional.empty();
        }
        int before = problems.size();
        labelKeyProblem(key).ifPresent(problem -> problems.add(path + ": taint key " + problem));
        if (!isLabelValue(value)) {
            problems.add(path + ": taint value '" + value + "' must be at most 63 letters, digits, '-', '_' or '.',"
                    + " starting and ending with a letter or digit");
        }
        Optional<TaintEffect> parsedEffect = TaintEffect.fromApiValue(effect);
        if (parsedEffect.isEmpty()) {
            problems.add(path + ": effect must be NoSchedule, PreferNoSchedule or NoExecute, got '" + effect + "'");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new NodeTaint(key, value, parsedEffect.get()));
    }

    private List<String> clusterDNS(JsonNode node) {
        List<String> servers = new ArrayList<>();
        if (node == null || node.isNull()) {
            return servers;
        }
        if (!node.isArray()) {
            problems.add("clusterDNS: must be a list of IP addresses, e.g. [10.96.0.10]");
            return servers;
        }
        for (int i = 0; i < node.size(); i++) {
            String address = node.get(i).asText();
            if (!node.get(i).isTextual() || !isIpAddress(address)) {
                problems.add("clusterDNS[" + i + "]: '" + address + "' is not an IP address");
            } else {
                servers.add(address);
            }
        }
        return servers;
    }

    private RuntimeSelection runtime(JsonNode node) {
        if (node == null || node.isNull()) {
            return new RuntimeSelection(DEFAULT_RUNTIME, DEFAULT_PODMAN_CONFIG);
        }
        if (!node.isObject()) {
            problems.add("runtime: must be a mapping like {provider: podman, config: {socket: ...}}");
            return new RuntimeSelection(DEFAULT_RUNTIME, Map.of());
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!Set.of("provider", "config").contains(entry.getKey())) {
                problems.add("runtime." + entry.getKey() + ": unknown key; the keys are provider and config");
            }
        }
        String provider = DEFAULT_RUNTIME;
        JsonNode providerNode = node.get("provider");
        if (providerNode != null && !providerNode.isNull()) {
            if (!providerNode.isTextual() || providerNode.asText().isBlank()) {
                problems.add("runtime.provider: must be a provider name such as podman");
            } else {
                provider = providerNode.asText();
            }
        }
        JsonNode configNode = node.get("config");
        if (configNode == null || configNode.isNull()) {
            return new RuntimeSelection(provider, provider.equals(DEFAULT_RUNTIME) ? DEFAULT_PODMAN_CONFIG : Map.of());
        }
        if (!configNode.isObject()) {
            problems.add("runtime.config: must be a mapping of settings, e.g. {socket: /run/podman/podman.sock}");
            return new RuntimeSelection(provider, Map.of());
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : configNode.properties()) {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                problems.add("runtime.config." + entry.getKey() + ": must be a single value, not a list or mapping");
            } else {
                config.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return new RuntimeSelection(provider, config);
    }

    private List<VolumeDriverSelection> volumeDrivers(JsonNode node) {
        List<VolumeDriverSelection> drivers = new ArrayList<>();
        if (node == null || node.isNull()) {
            return drivers;
        }
        if (!node.isArray()) {
            problems.add("volumeDrivers: must be a list like [{provider: nfs, config: {mountOptions: soft}}]");
            return drivers;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "volumeDrivers[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isObject()) {
                problems.add(path + ": must be a mapping like {provider: nfs, config: {...}}");
                continue;
            }
            for (Map.Entry<String, JsonNode> key : entry.properties()) {
                if (!Set.of("provider", "config").contains(key.getKey())) {
                    problems.add(path + "." + key.getKey() + ": unknown key; the keys are provider and config");
                }
            }
            JsonNode providerNode = entry.get("provider");
            if (providerNode == null
                    || !providerNode.isTextual()
                    || providerNode.asText().isBlank()) {
                problems.add(path + ".provider: must be a volume driver provider name such as nfs");
                continue;
            }
            String provider = providerNode.asText();
            if (!seen.add(provider)) {
                problems.add(path + ".provider: " + provider + " is listed twice; list each driver once");
            }
            Map<String, String> config = new LinkedHashMap<>();
            JsonNode configNode = entry.get("config");
            if (configNode != null && !configNode.isNull()) {
                if (!configNode.isObject()) {
                    problems.add(path + ".config: must be a mapping of settings, e.g. {mountCommand: mount}");
                } else {
                    for (Map.Entry<String, JsonNode> setting : configNode.properties()) {
                        if (!setting.getValue().isValueNode()
                                || setting.getValue().isNull()) {
                            problems.add(path + ".config." + setting.getKey()
                                    + ": must be a single value, not a list or mapping");
                        } else {
                            config.put(setting.getKey(), setting.getValue().asText());
                        }
                    }
                }
            }
            drivers.add(new VolumeDriverSelection(provider, config));
        }
        return drivers;
    }

    private Map<String, String> reserved(JsonNode node) {
        Map<String, String> reserved = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return reserved;
        }
        if (!node.isObject()) {
            problems.add("reserved: must be a mapping of resources to quantities, e.g. {cpu: 500m, memory: 1Gi}");
            return reserved;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String path = "reserved." + entry.getKey();
            if (!RESERVABLE_RESOURCES.contains(entry.getKey())) {
                problems.add(path + ": only cpu, memory and ephemeral-storage can be reserved");
                continue;
            }
            String text = entry.getValue().asText();
            if (!entry.getValue().isValueNode() || !isQuantity(text)) {
                problems.add(path + ": '" + text + "' is not a quantity like 500m, 1Gi or 2");
                continue;
            }
            reserved.put(entry.getKey(), text);
        }
        return reserved;
    }

    private static boolean present(JsonNode root, String key) {
        return root.has(key) && !root.get(key).isNull();
    }

    private Optional<String> string(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            problems.add(key + ": must be a non-empty string");
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    private Optional<Integer> integer(JsonNode root, String key, int min, int max) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            problems.add(
                    key + ": must be a whole number between " + min + " and " + max + ", got '" + node.asText() + "'");
            return Optional.empty();
        }
        int value = node.asInt();
        if (value < min || value > max) {
            problems.add(key + ": must be between " + min + " and " + max + ", got " + value);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    private Optional<Duration> duration(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        Optional<Duration> parsed = node.isTextual() ? parseDuration(node.asText()) : Optional.empty();
        if (parsed.isEmpty() || parsed.get().isZero()) {
            problems.add(key + ": '" + node.asText() + "' is not a duration like 10s, 5m");
        }
        return parsed.filter(duration -> !duration.isZero());
    }

    private Optional<Path> path(String key, String text) {
        try {
            return Optional.of(baseDirectory.resolve(text).normalize());
        } catch (InvalidPathException e) {
            problems.add(key + ": '" + text + "' is not a path: " + e.getReason());
            return Optional.empty();
        }
    }

    /** Records a problem unless {@code ok}; returns {@code ok}, for use in filters. */
    private boolean check(boolean ok, String path, String reason) {
        if (!ok) {
            problems.add(path + ": " + reason);
        }
        return ok;
    }

    /** Go-style durations: one or more of a number and a unit, {@code 500ms}, {@code 10s}, {@code 1m30s}. */
    static Optional<Duration> parseDuration(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = DURATION.matcher(trimmed);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() != end) {
                return Optional.empty();
            }
            end = matcher.end();
            BigDecimal amount = new BigDecimal(matcher.group(1));
            Function<BigDecimal, BigDecimal> toMillis = switch (matcher.group(2)) {
                case "ms" -> a -> a;
                case "s" -> a -> a.multiply(BigDecimal.valueOf(1_000));
                case "m" -> a -> a.multiply(BigDecimal.valueOf(60_000));
                default -> a -> a.multiply(BigDecimal.valueOf(3_600_000));
            };
            total = total.plusMillis(toMillis.apply(amount).longValue());
        }
        return end == trimmed.length() ? Optional.of(total) : Optional.empty();
    }

    static boolean isDnsSubdomain(String name) {
        return name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches();
    }

    /** Why this is not a Kubernetes label key (an optional DNS-subdomain prefix and '/', then a name), if so. */
    static Optional<String> labelKeyProblem(String key) {
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? "" : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0 && !isDnsSubdomain(prefix)) {
            return Optional.of("'" + key + "' has a prefix that is not a DNS subdomain");
        }
        if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            return Optional.of("'" + key + "' is not a label key: a name of at most 63 letters, digits, '-', '_'"
                    + " or '.', starting and ending with a letter or digit, with an optional DNS prefix and '/'");
        }
        return Optional.empty();
    }

    static boolean isLabelValue(String value) {
        return value.isEmpty()
                || value.length() <= 63 && LABEL_NAME.matcher(value).matches();
    }

    /** An IPv4 or IPv6 literal; never resolves a host name. */
    static boolean isIpAddress(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (!text.contains(":") || !text.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(text); // a literal with ':' is parsed, not looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isQuantity(String text) {
        try {
            return Quantity.getAmountInBytes(new Quantity(text)).signum() >= 0;
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }
}

package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ProviderException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link NodeFacts} from this Linux machine ({@code /proc}, {@code /sys}, {@code /etc}, the file system of
 * the state directory) and from the container runtime. Pressure uses the kubelet's default hard eviction
 * thresholds, so a node reports pressure where a kubelet would start evicting. Safe to call from one thread at a
 * time.
 */
public final class NodeFactsCollector implements NodeFactsSource {
    private static final Logger LOG = LoggerFactory.getLogger(NodeFactsCollector.class);

    /** The kubelet's {@code memory.available<100Mi}. */
    static final long MEMORY_AVAILABLE_THRESHOLD_BYTES = 100L * 1024 * 1024;

    /** The kubelet's {@code nodefs.available<10%}. */
    static final double DISK_AVAILABLE_THRESHOLD = 0.10;

    /** Pressure when fewer than this share of process IDs is left. */
    static final double PID_AVAILABLE_THRESHOLD = 0.10;

    private final RuntimeInfo runtime;
    private final Path stateDirectory;
    private final Path root;
    private final String architecture;
    private String lastRuntimeVersion = "unknown://";

    /**
     * @param runtime the container runtime, asked for its version and images each time
     * @param stateDirectory petlet's state directory; the size of its file system is the ephemeral-storage capacity
     */
    public NodeFactsCollector(RuntimeInfo runtime, Path stateDirectory) {
        this(runtime, stateDirectory, Path.of("/"), goArchitecture(System.getProperty("os.arch")));
    }

    /** Reads the machine files under {@code root} instead of {@code /}, for tests. */
    NodeFactsCollector(RuntimeInfo runtime, Path stateDirectory, Path root, String architecture) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.stateDirectory = requireNonNull(stateDirectory, "stateDirectory");
        this.root = requireNonNull(root, "root");
        this.architecture = requireNonNull(architecture, "architecture");
    }

    @Override
    public NodeFacts collect() {
        Optional<String> runtimeProblem = Optional.empty();
        String runtimeVersion = lastRuntimeVersion;
        List<ImageSummary> images = List.of();
        try {
            runtimeVersion = runtime.versionString();
            lastRuntimeVersion = runtimeVersion;
            images = runtime.images();
        } catch (ProviderException | RuntimeException e) {
            runtimeProblem = Optional.of("container runtime is down: " + e.getMessage());
        }
        MemoryInfo memory = memory();
        StorageInfo storage = storage();
        String machineId = firstLine("etc/machine-id")
                .or(() -> firstLine("var/lib/dbus/machine-id"))
                .orElse("");
        return new NodeFacts(
                cpuCount(),
                memory.totalBytes(),
                storage.totalBytes(),
                machineId,
                firstLine("proc/sys/kernel/random/boot_id").orElse(""),
                firstLine("sys/class/dmi/id/product_uuid").orElse(machineId),
                firstLine("proc/sys/kernel/osrelease").orElse(System.getProperty("os.version")),
                osImage(),
                architecture,
                runtimeVersion,
                images,
                runtimeProblem,
                memory.availableBytes() < MEMORY_AVAILABLE_THRESHOLD_BYTES,
                storage.totalBytes() > 0 && storage.availableBytes() < storage.totalBytes() * DISK_AVAILABLE_THRESHOLD,
                pidPressure());
    }

    /** Online CPUs from {@code /sys/devices/system/cpu/online} ("0-3,6"); the JVM's count where unreadable. */
    int cpuCount() {
        return firstLine("sys/devices/system/cpu/online")
                .flatMap(NodeFactsCollector::countCpuList)
                .orElseGet(() -> Runtime.getRuntime().availableProcessors());
    }

    static Optional<Integer> countCpuList(String list) {
        int count = 0;
        try {
            for (String part : list.trim().split(",")) {
                int dash = part.indexOf('-');
                if (dash < 0) {
                    Integer.parseInt(part.trim());
                    count++;
                } else {
                    count += Integer.parseInt(part.substring(dash + 1).trim())
                            - Integer.parseInt(part.substring(0, dash).trim())
                            + 1;
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return count > 0 ? Optional.of(count) : Optional.empty();
    }

    private record MemoryInfo(long totalBytes, long availableBytes) {}

    private MemoryInfo memory() {
        long total = 0;
        long available = Long.MAX_VALUE;
        for (String line : lines("proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                total = kibibytes(line);
            } else if (line.startsWith("MemAvailable:")) {
                available = kibibytes(line);
            }
        }
        return new MemoryInfo(total, available);
    }

    /** A {@code /proc/meminfo} line like {@code MemTotal:  16318008 kB}, in bytes. */
    private static long kibibytes(String line) {
        String[] fields = line.trim().split("\\s+");
        try {
            return Long.parseLong(fields[1]) * 1024;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return 0;
        }
    }

    private record StorageInfo(long totalBytes, long availableBytes) {}

    private StorageInfo storage() {
        // The state directory may not exist yet on first start: measure the file system it will be on.
        Path existing = stateDirectory.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return new StorageInfo(0, 0);
        }
        try {
            FileStore store = Files.getFileStore(existing);
            return new StorageInfo(store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            LOG.debug("cannot measure the file system of {}: {}", existing, e.toString());
            return new StorageInfo(0, 0);
        }
    }

    /** {@code PRETTY_NAME} from os-release, where systemd documents it: /etc first, then /usr/lib. */
    private String osImage() {
        for (String file : List.of("etc/os-release", "usr/lib/os-release")) {
            for (String line : lines(file)) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return unquote(line.substring("PRETTY_NAME=".length()).trim());
                }
            }
        }
        return "Linux";
    }

    static String unquote(String value) {
        if (value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** Threads in use ({@code /proc/loadavg}'s "running/total") against {@code kernel/pid_max}. */
    private boolean pidPressure() {
        Optional<Long> max = firstLine("proc/sys/kernel/pid_max").flatMap(NodeFactsCollector::parseLong);
        Optional<Long> used = firstLine("proc/loadavg").flatMap(line -> {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 4 || !fields[3].contains("/")) {
                return Optional.empty();
            }
            return parseLong(fields[3].substring(fields[3].indexOf('/') + 1));
        });
        if (max.isEmpty() || used.isEmpty() || max.get() <= 0) {
            return false;
        }
        return max.get() - used.get() < max.get() * PID_AVAILABLE_THRESHOLD;
    }

    private static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Optional<String> firstLine(String relativePath) {
        return lines(relativePath).stream()
                .map(String::trim)
                .filter(line -> !line.isEmpty())
                .findFirst();
    }

    private List<String> lines(String relativePath) {
        Path file = root.resolve(relativePath);
        try {
            return Files.readAllLines(file);
        } catch (IOException | SecurityException e) {
            LOG.debug("cannot read {}: {}", file, e.toString());
            return List.of();
        }
    }

    /** The JVM's {@code os.arch} in Go's spelling, which Kubernetes uses for {@code kubernetes.io/arch}. */
    static String goArchitecture(String javaArchitecture) {
        String arch = javaArchitecture.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            default -> arch; // ppc64le, s390x, riscv64, arm: the same in both
        };
    }
}

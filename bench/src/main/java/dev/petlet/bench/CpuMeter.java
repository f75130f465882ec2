package dev.petlet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU time of the processes that do a round's work, read before and after it: the agent, the
 * Podman service, kube-apiserver and etcd for petlet's round; the bench itself (which makes the
 * floor's calls) and the Podman service for the floor's. CPU time does not stretch when other work
 * loads the machine the way wall time does, so it tells where the cost is even on a busy machine.
 * conmon and the OCI runtime are not counted (they detach from the Podman service); they cost the
 * same for both sides.
 */
final class CpuMeter {
    static final Path PODMAN_PID_FILE = Path.of("/run/petlet-podman.pid");

    private final Map<String, Long> pids;

    private CpuMeter(Map<String, Long> pids) {
        this.pids = Map.copyOf(pids);
    }

    /**
     * @param agentPid the agent's process
     * @param sandboxState the control plane's state folder, whose {@code run/<component>.pid} files name its processes
     */
    static CpuMeter of(long agentPid, Path sandboxState) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("agent", agentPid);
        pids.put("bench", ProcessHandle.current().pid());
        pidFrom(PODMAN_PID_FILE).ifPresent(pid -> pids.put("podman", pid));
        pidFrom(sandboxState.resolve("run/kube-apiserver.pid")).ifPresent(pid -> pids.put("apiserver", pid));
        pidFrom(sandboxState.resolve("run/etcd.pid")).ifPresent(pid -> pids.put("etcd", pid));
        return new CpuMeter(pids);
    }

    /** CPU time so far by process name; a process that cannot be read counts as zero. */
    Map<String, Duration> read() {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            try {
                cpu.put(name, ProcessUsage.of(pid).cpu());
            } catch (IOException | RuntimeException e) {
                cpu.put(name, Duration.ZERO);
            }
        });
        return cpu;
    }

    /** What each process used between two readings. */
    static Map<String, Duration> since(Map<String, Duration> before, Map<String, Duration> after) {
        Map<String, Duration> used = new LinkedHashMap<>();
        after.forEach((name, cpu) -> used.put(name, cpu.minus(before.getOrDefault(name, Duration.ZERO))));
        return used;
    }

    /** Adds {@code more} into {@code total}, process by process. */
    static void add(Map<String, Duration> total, Map<String, Duration> more) {
        more.forEach((name, cpu) -> total.merge(name, cpu, Duration::plus));
    }

    private static java.util.Optional<Long> pidFrom(Path file) {
        try {
            String text = Files.readString(file).trim();
            return text.isEmpty()
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(Long.parseLong(text.split("\\s+")[0]));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}

package dev.petlet.bench;

import static dev.petlet.bench.ResultRow.seconds;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Renders the rows as the table {@code bench/pod-startup} prints, with the goals next to it. */
final class ResultTable {
    private ResultTable() {}

    static String render(List<ResultRow> rows, int threads) {
        StringBuilder out = new StringBuilder();
        out.append("pod-startup    N | petlet p50    p99    max  total | podman p50    p99  total "
                + "| total ratio | agent RSS  CPU s | libpod calls/pod\n");
        for (ResultRow row : rows) {
            out.append(String.format(
                    "%16s | %10s %6s %6s %6s | %10s %6s %6s | %10.2fx | %5d MiB %6.2f | %16.1f%n",
                    label(row),
                    s(row.petlet().startup().p50()),
                    s(row.petlet().startup().p99()),
                    s(row.petlet().startup().max()),
                    s(row.petlet().total()),
                    s(row.floor().startup().p50()),
                    s(row.floor().startup().p99()),
                    s(row.floor().total()),
                    row.totalRatio(),
                    row.agentPeakRssKib() / 1024,
                    seconds(row.agentCpu()),
                    row.libpodCallsPerPod()));
        }
        out.append("\nwhere petlet's time goes, p50/p99 per pod (s)\n");
        out.append("               N | create → sandbox created | sandbox → container started "
                + "| started → Ready seen | delete → gone | podman removal\n");
        for (ResultRow row : rows) {
            out.append(String.format(
                    "%16s | %24s | %27s | %20s | %13s | %14s%n",
                    label(row),
                    pair(row.petlet().pickup()),
                    pair(row.petlet().runtime()),
                    pair(row.petlet().report()),
                    s(row.petlet().deletion()),
                    s(row.floor().removal())));
        }
        out.append("\nCPU seconds per round by process (utime+stime; unlike wall time, barely moved by other load)\n");
        out.append(
                "               N | petlet round: agent  podman  apiserver  etcd   sum | floor round: bench  podman   sum "
                        + "| sum ratio\n");
        for (ResultRow row : rows) {
            double petletSum = cpu(row.petletCpu(), "agent")
                    + cpu(row.petletCpu(), "podman")
                    + cpu(row.petletCpu(), "apiserver")
                    + cpu(row.petletCpu(), "etcd");
            double floorSum = cpu(row.floorCpu(), "bench") + cpu(row.floorCpu(), "podman");
            out.append(String.format(
                    "%16s | %19.2f %7.2f %10.2f %5.2f %5.2f | %18.2f %7.2f %5.2f | %8.2fx%n",
                    label(row),
                    cpu(row.petletCpu(), "agent"),
                    cpu(row.petletCpu(), "podman"),
                    cpu(row.petletCpu(), "apiserver"),
                    cpu(row.petletCpu(), "etcd"),
                    petletSum,
                    cpu(row.floorCpu(), "bench"),
                    cpu(row.floorCpu(), "podman"),
                    floorSum,
                    floorSum > 0 ? petletSum / floorSum : 0));
        }
        if (rows.stream().anyMatch(row -> !row.idleCpu().isEmpty())) {
            out.append("\nCPU while the round's pods all run and nothing happens (% of one core; the agent relists,"
                    + " renews its lease, probes nothing: these pods have no probes)\n");
            out.append("               N | over   | agent  podman  apiserver   etcd\n");
            for (ResultRow row : rows) {
                if (row.idleCpu().isEmpty()) {
                    continue;
                }
                double over = seconds(row.idle());
                out.append(String.format(
                        "%16s | %4.0f s | %4.1f%% %6.1f%% %9.1f%% %5.1f%%%n",
                        label(row),
                        over,
                        100 * cpu(row.idleCpu(), "agent") / over,
                        100 * cpu(row.idleCpu(), "podman") / over,
                        100 * cpu(row.idleCpu(), "apiserver") / over,
                        100 * cpu(row.idleCpu(), "etcd") / over));
            }
        }
        out.append("\ngoals (no pass/fail, just where we stand):\n");
        out.append("  total within 1.2x of the Podman floor: ");
        out.append(String.join(
                ", ",
                rows.stream()
                        .filter(row -> row.pods() > 1)
                        .map(row -> String.format("N=%d %.2fx", row.pods(), row.totalRatio()))
                        .toList()));
        out.append('\n');
        single(rows)
                .ifPresent(row -> out.append(String.format(
                        "  single-pod p50 within 300 ms of the floor on an idle node: %+d ms%n",
                        row.petlet()
                                .startup()
                                .p50()
                                .minus(row.floor().startup().p50())
                                .toMillis())));
        rows.stream()
                .filter(row -> row.pods() == 100)
                .findFirst()
                .ifPresent(row -> out.append(String.format(
                        "  agent RSS under 200 MiB at 100 pods: %d MiB%n", row.agentPeakRssKib() / 1024)));
        out.append("\nTimes in seconds. petlet: API create call → Ready=True seen by a watch (pods bound to the"
                + " node directly); podman: runPodSandbox called → startContainer returned, through the same"
                + " provider, from the same pool of " + threads + " threads. total: first create → last Ready/started."
                + " Rows with runs > 1 pool the pods of all runs and show the median total. agent RSS: petlet's"
                + " peak (VmHWM) so far; CPU s: its utime+stime per round, create → pods gone; libpod calls/pod: the"
                + " requests it sent to Podman per pod, create → pods gone (the floor sends 5).\n");
        return out.toString();
    }

    private static double cpu(Map<String, Duration> cpu, String process) {
        return seconds(cpu.getOrDefault(process, Duration.ZERO));
    }

    private static Optional<ResultRow> single(List<ResultRow> rows) {
        return rows.stream().filter(row -> row.pods() == 1).findFirst();
    }

    private static String label(ResultRow row) {
        return row.runs() > 1 ? row.pods() + " (" + row.runs() + " runs)" : Integer.toString(row.pods());
    }

    private static String pair(Durations durations) {
        return s(durations.p50()) + " / " + s(durations.p99());
    }

    private static String s(Duration duration) {
        return String.format("%.2f", seconds(duration));
    }
}

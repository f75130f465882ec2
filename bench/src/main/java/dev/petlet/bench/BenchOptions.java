package dev.petlet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The benchmark's command line.
 *
 * @param distribution the built distribution whose {@code bin/petlet} runs the agent
 * @param workDirectory where everything of the run lives; empty: a new temporary folder, deleted at the end
 * @param counts how many pods to start at once, one row each
 * @param threads the size of the pool both sides start pods from
 * @param singlePodRuns how many one-pod rounds the N=1 row pools (one sample is too noisy)
 * @param runs how many rounds each other row pools, each followed by its floor round: on 2 cores the
 *     total of one round swings by a fifth either way, so a row shows the median of a few
 * @param image the image every pod runs
 * @param idle how long to measure CPU use once a round's pods all run, before they are deleted (rounds of 10
 *     pods or more; zero: not at all)
 */
record BenchOptions(
        Path distribution,
        Optional<Path> workDirectory,
        List<Integer> counts,
        int threads,
        int singlePodRuns,
        int runs,
        String image,
        Duration idle) {

    static final String USAGE = """
            usage: PodStartupBenchmark --distribution DIR [--work-dir DIR] [--counts 1,10,50,100]
                                       [--threads 10] [--single-pod-runs 5] [--runs 3]
                                       [--image localhost/busybox:latest] [--idle-seconds 10]""";

    BenchOptions {
        counts = List.copyOf(counts);
        if (counts.isEmpty() || counts.stream().anyMatch(n -> n < 1 || n > 100)) {
            throw new IllegalArgumentException("--counts: pod counts from 1 to 100 (the node's maxPods is 110)");
        }
        if (threads < 1 || singlePodRuns < 1 || runs < 1) {
            throw new IllegalArgumentException("--threads, --single-pod-runs and --runs must be at least 1");
        }
        if (idle.isNegative()) {
            throw new IllegalArgumentException("--idle-seconds must be 0 or more");
        }
    }

    static BenchOptions parse(String[] args) {
        Path distribution = null;
        Optional<Path> workDirectory = Optional.empty();
        List<Integer> counts = List.of(1, 10, 50, 100);
        int threads = 10;
        int singlePodRuns = 5;
        int runs = 3;
        String image = "localhost/busybox:latest";
        int idleSeconds = 10;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--distribution" -> distribution = Path.of(value);
                case "--work-dir" -> workDirectory = Optional.of(Path.of(value));
                case "--counts" -> counts = integers(option, value);
                case "--threads" -> threads = integer(option, value);
                case "--single-pod-runs" -> singlePodRuns = integer(option, value);
                case "--runs" -> runs = integer(option, value);
                case "--image" -> image = value;
                case "--idle-seconds" -> idleSeconds = integer(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (distribution == null) {
            throw new IllegalArgumentException("--distribution is required");
        }
        return new BenchOptions(
                distribution,
                workDirectory,
                counts,
                threads,
                singlePodRuns,
                runs,
                image,
                Duration.ofSeconds(idleSeconds));
    }

    private static List<Integer> integers(String option, String value) {
        List<Integer> values = new ArrayList<>();
        for (String part : Arrays.asList(value.split(","))) {
            values.add(integer(option, part.trim()));
        }
        return values;
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: " + value);
        }
    }
}

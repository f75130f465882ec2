package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * The node's and its pods' resource usage at one moment: what the kubelet's Summary API ({@code /stats/summary})
 * and resource metrics ({@code /metrics/resource}) both serve, in the units of {@code stats/v1alpha1}.
 */
record UsageSummary(Node node, List<Pod> pods) {
    UsageSummary {
        requireNonNull(node, "node");
        pods = List.copyOf(pods);
    }

    /**
     * CPU at {@code time}.
     *
     * @param usageNanoCores nullable: the rate since the previous sample, unknown on the first
     */
    record Cpu(Instant time, long usageCoreNanoSeconds, Long usageNanoCores) {
        Cpu {
            requireNonNull(time, "time");
        }
    }

    /**
     * Memory at {@code time}.
     *
     * @param availableBytes nullable: unknown for containers without a limit
     * @param usageBytes nullable: unknown where the runtime reports only the working set
     */
    record Memory(Instant time, long workingSetBytes, Long availableBytes, Long usageBytes) {
        Memory {
            requireNonNull(time, "time");
        }
    }

    /** A file system at {@code time}. */
    record FileSystem(Instant time, long capacityBytes, long availableBytes, long usedBytes) {
        FileSystem {
            requireNonNull(time, "time");
        }
    }

    /** @param fs nullable: the state directory's file system, left out when only CPU and memory were asked for */
    record Node(String nodeName, Instant startTime, Cpu cpu, Memory memory, FileSystem fs) {
        Node {
            requireNonNull(nodeName, "nodeName");
            requireNonNull(startTime, "startTime");
            requireNonNull(cpu, "cpu");
            requireNonNull(memory, "memory");
        }
    }

    record Container(String name, Instant startTime, Cpu cpu, Memory memory) {
        Container {
            requireNonNull(name, "name");
            requireNonNull(startTime, "startTime");
            requireNonNull(cpu, "cpu");
            requireNonNull(memory, "memory");
        }
    }

    /** A pod's usage: the sum of its running containers', timed by the latest of them. */
    record Pod(String namespace, String name, String uid, Instant startTime, List<Container> containers) {
        Pod {
            requireNonNull(namespace, "namespace");
            requireNonNull(name, "name");
            requireNonNull(uid, "uid");
            requireNonNull(startTime, "startTime");
            containers = List.copyOf(containers);
            if (containers.isEmpty()) {
                throw new IllegalArgumentException("a pod's usage needs at least one container");
            }
        }

        Cpu cpu() {
            Instant time = containers.stream()
                    .map(c -> c.cpu().time())
                    .max(Instant::compareTo)
                    .orElseThrow();
            long total = containers.stream()
                    .mapToLong(c -> c.cpu().usageCoreNanoSeconds())
                    .sum();
            boolean rateKnown = containers.stream().allMatch(c -> c.cpu().usageNanoCores() != null);
            Long rate = rateKnown
                    ? containers.stream()
                            .mapToLong(c -> c.cpu().usageNanoCores())
                            .sum()
                    : null;
            return new Cpu(time, total, rate);
        }

        Memory memory() {
            Instant time = containers.stream()
                    .map(c -> c.memory().time())
                    .max(Instant::compareTo)
                    .orElseThrow();
            long workingSet = containers.stream()
                    .mapToLong(c -> c.memory().workingSetBytes())
                    .sum();
            return new Memory(time, workingSet, null, null);
        }
    }
}

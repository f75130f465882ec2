/**
 * Benchmarks that print numbers and assert nothing, run by the scripts in {@code bench/}.
 * {@link dev.petlet.bench.PodStartupBenchmark} measures how fast petlet starts pods against what
 * Podman alone can do, and what the agent costs while it does so.
 */
package dev.petlet.bench;

package dev.petlet.e2e.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Poll;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * One streaming E2E class's own namespace, with the real kubectl scoped to it: what it runs goes through the
 * sandbox's kube-apiserver to petlet's kubelet API, as a user's kubectl would.
 */
final class StreamNamespace implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final TestCluster cluster;
    private final String name;

    private StreamNamespace(TestCluster cluster, String name) {
        this.cluster = cluster;
        this.name = name;
    }

    /** Creates a namespace named {@code <prefix>-<random>}. */
    static StreamNamespace create(TestCluster cluster, String prefix) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        StreamNamespace namespace = new StreamNamespace(cluster, prefix + "-" + suffix);
        succeed(cluster.kubectl().run("create", "namespace", namespace.name));
        return namespace;
    }

    String name() {
        return name;
    }

    /** The full command line of kubectl in this namespace, for commands run with {@link LocalCommand}. */
    List<String> kubectlCommand(String... arguments) {
        List<String> command = new ArrayList<>(
                List.of("kubectl", "--kubeconfig", cluster.kubeconfig().toString(), "-n", name));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Runs kubectl in this namespace. */
    CommandResult kubectl(String... arguments) {
        List<String> all = new ArrayList<>(List.of("-n", name));
        all.addAll(List.of(arguments));
        return cluster.kubectl().run(all.toArray(String[]::new));
    }

    /** Runs kubectl in this namespace, asserting it succeeds; returns what it printed. */
    String kubectlOk(String... arguments) {
        return succeed(kubectl(arguments));
    }

    /** {@code kubectl apply -f} of a resource built in Java, as YAML. */
    void apply(HasMetadata resource) {
        try {
            Path file = Files.createTempFile("petlet-e2e-", ".yaml");
            try {
                Files.writeString(
                        file, cluster.client().getKubernetesSerialization().asYaml(resource));
                kubectlOk("apply", "-f", file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pod as {@code kubectl get pod -o json} shows it, if it exists. */
    Optional<Pod> pod(String podName) {
        CommandResult result = kubectl("get", "pod", podName, "-o", "json");
        if (result.exitCode() != 0) {
            assertThat(result.stderr()).as(result.toString()).contains("NotFound");
            return Optional.empty();
        }
        return Optional.of(cluster.client().getKubernetesSerialization().unmarshal(result.stdout(), Pod.class));
    }

    /** Polls the pod until it satisfies the condition; returns it. */
    Pod awaitPod(String podName, String description, Predicate<Pod> condition) {
        return Poll.until(
                TIMEOUT,
                "pod " + name + "/" + podName + " " + description,
                () -> pod(podName).filter(condition));
    }

    /** Polls until the pod is Running and Ready. */
    Pod awaitReady(String podName) {
        return awaitPod(
                podName,
                "to be Running and Ready",
                pod -> "Running".equals(pod.getStatus().getPhase())
                        && pod.getStatus().getConditions().stream()
                                .anyMatch(c -> c.getType().equals("Ready")
                                        && c.getStatus().equals("True")));
    }

    /** Deletes the namespace without waiting: petlet stops what is left in the background. */
    @Override
    public void close() {
        cluster.kubectl().run("delete", "namespace", name, "--wait=false");
    }

    static String succeed(CommandResult result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout();
    }
}

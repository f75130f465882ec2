package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Kubectl;
import dev.petlet.testing.Poll;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
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
 * One E2E class's own namespace, with the real kubectl scoped to it. Reads go through kubectl too
 * ({@code -o json}, decoded into model objects) so what is asserted is what a user would see.
 */
final class TestNamespace implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Events follow what they report within a second or two. */
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    private final TestCluster cluster;
    private final Kubectl kubectl;
    private final String name;

    private TestNamespace(TestCluster cluster, String name) {
        this.cluster = cluster;
        this.kubectl = cluster.kubectl();
        this.name = name;
    }

    /** Creates a namespace named {@code <prefix>-<random>}. */
    static TestNamespace create(TestCluster cluster, String prefix) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        TestNamespace namespace = new TestNamespace(cluster, prefix + "-" + suffix);
        succeed(namespace.kubectl.run("create", "namespace", namespace.name));
        return namespace;
    }

    String name() {
        return name;
    }

    TestCluster cluster() {
        return cluster;
    }

    /** The node the sandbox runs with petlet. */
    String nodeName() {
        return cluster.nodeName();
    }

    /** Runs kubectl in this namespace. */
    CommandResult kubectl(String... arguments) {
        List<String> all = new ArrayList<>(List.of("-n", name));
        all.addAll(List.of(arguments));
        return kubectl.run(all.toArray(String[]::new));
    }

    /** Runs kubectl in this namespace, asserting it succeeds; returns what it printed. */
    String kubectlOk(String... arguments) {
        return succeed(kubectl(arguments));
    }

    /** {@code kubectl apply -f} of a manifest given as text. */
    void apply(String manifest) {
        try {
            Path file = Files.createTempFile("petlet-e2e-", ".yaml");
            try {
                Files.writeString(file, manifest);
                kubectlOk("apply", "-f", file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kubectl apply -f} of a resource built in Java, as YAML. */
    void apply(HasMetadata resource) {
        apply(cluster.client().getKubernetesSerialization().asYaml(resource));
    }

    /** Writes text to a temporary file for {@code --from-file} and the like; deleted when the JVM exits. */
    static Path temporaryFile(String content) {
        try {
            Path file = Files.createTempFile("petlet-e2e-", ".txt");
            file.toFile().deleteOnExit();
            return Files.writeString(file, content);
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

    /** Pods matching a label selector, as kubectl lists them. */
    List<Pod> pods(String selector) {
        String json = kubectlOk("get", "pods", "-l", selector, "-o", "json");
        return cluster.client()
                .getKubernetesSerialization()
                .unmarshal(json, PodList.class)
                .getItems();
    }

    /** Polls the pod until it satisfies the condition; returns it. */
    Pod awaitPod(String podName, String description, Predicate<Pod> condition) {
        return Poll.until(
                TIMEOUT,
                "pod " + name + "/" + podName + " " + description,
                () -> pod(podName).filter(condition));
    }

    /** Polls until the pod's only container is waiting with the reason; returns the pod. */
    Pod awaitWaiting(String podName, String reason) {
        return awaitPod(
                podName,
                "to wait with reason " + reason,
                pod -> container(pod)
                        .map(c -> c.getState().getWaiting() != null
                                && reason.equals(c.getState().getWaiting().getReason()))
                        .orElse(false));
    }

    /** Polls until the pod's phase is the given one; returns the pod. */
    Pod awaitPhase(String podName, String phase) {
        return awaitPod(
                podName,
                "to reach phase " + phase,
                pod -> phase.equals(pod.getStatus().getPhase()));
    }

    /** Polls until the pod is Running and Ready. */
    Pod awaitReady(String podName) {
        return awaitPod(podName, "to be Running and Ready", TestNamespace::runningAndReady);
    }

    static boolean runningAndReady(Pod pod) {
        return "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c ->
                                c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** The status of the pod's first (in these tests: only) container, once reported. */
    static Optional<ContainerStatus> container(Pod pod) {
        return Optional.ofNullable(pod.getStatus().getContainerStatuses())
                .filter(statuses -> !statuses.isEmpty())
                .map(statuses -> statuses.get(0));
    }

    /** Events about an object in this namespace, as {@code kubectl get events} lists them. */
    List<Event> events(String objectName) {
        String json = kubectlOk("get", "events", "--field-selector", "involvedObject.name=" + objectName, "-o", "json");
        return cluster.client()
                .getKubernetesSerialization()
                .unmarshal(json, EventList.class)
                .getItems();
    }

    /** Polls until an event about the object has the reason and its message contains the text; returns it. */
    Event awaitEvent(String objectName, String reason, String messagePart) {
        return Poll.until(
                EVENT_TIMEOUT,
                "an event " + reason + " \"" + messagePart + "\" about " + name + "/" + objectName,
                () -> events(objectName).stream()
                        .filter(e -> reason.equals(e.getReason()))
                        .filter(e -> e.getMessage() != null && e.getMessage().contains(messagePart))
                        .findFirst());
    }

    /** The STATUS column of {@code kubectl get pod}. */
    String statusColumn(String podName) {
        String line = kubectlOk("get", "pod", podName, "--no-headers").strip();
        String[] columns = line.split("\\s+");
        assertThat(columns).as(line).hasSizeGreaterThanOrEqualTo(3);
        return columns[2];
    }

    /** Deletes the namespace without waiting: petlet stops what is left in the background. */
    @Override
    public void close() {
        kubectl.run("delete", "namespace", name, "--wait=false");
    }

    private static String succeed(CommandResult result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout();
    }
}

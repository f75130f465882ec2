package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.LogOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads what exited containers wrote to their terminationMessagePath (at most 4096 bytes), or,
 * with {@code FallbackToLogsOnError}, the end of their log (80 lines, 2048 bytes) after a failure.
 * An exited container's message never changes, so it is read once.
 */
final class TerminationMessages {
    static final int MAX_MESSAGE_BYTES = 4096;
    static final int FALLBACK_LINES = 80;
    static final int FALLBACK_BYTES = 2048;

    private final ContainerRuntime runtime;
    private final PodDirectories directories;
    private final Map<String, String> byContainerId = new ConcurrentHashMap<>();

    TerminationMessages(ContainerRuntime runtime, PodDirectories directories) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.directories = requireNonNull(directories, "directories");
    }

    /** The messages of the pod's exited containers, by container ID. */
    Map<String, String> of(Pod pod, ObservedPod observed) {
        Map<String, String> messages = new HashMap<>();
        for (ContainerStatus instance : observed.containers()) {
            if (instance.state() != ContainerState.EXITED) {
                continue;
            }
            String message = byContainerId.computeIfAbsent(instance.id(), id -> read(pod, instance));
            messages.put(instance.id(), message);
        }
        return messages;
    }

    void forget(ObservedPod observed) {
        observed.containers().forEach(c -> byContainerId.remove(c.id()));
    }

    private String read(Pod pod, ContainerStatus instance) {
        Path file = directories.terminationLog(pod.getMetadata().getUid(), instance.name(), instance.attempt());
        String message = "";
        try (InputStream in = Files.newInputStream(file)) {
            message = new String(in.readNBytes(MAX_MESSAGE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException missing) {
            // no file: nothing was written, or the container was created by an older petlet
        }
        boolean failed = instance.exitCode() != null && instance.exitCode() != 0;
        if (message.isEmpty() && failed && "FallbackToLogsOnError".equals(policy(pod, instance.name()))) {
            message = logTail(instance.id());
        }
        return message;
    }

    private static String policy(Pod pod, String containerName) {
        return InitContainerPlanner.spec(pod, containerName)
                .map(Container::getTerminationMessagePolicy)
                .orElse("File");
    }

    private String logTail(String containerId) {
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        try (var subscription = runtime.logs(
                containerId, LogOptions.ALL.withTailLines(FALLBACK_LINES), frame -> tail.write(frame.data()))) {
            subscription.completion().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (ProviderException
                | RuntimeException
                | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
        byte[] bytes = tail.toByteArray();
        int from = Math.max(0, bytes.length - FALLBACK_BYTES);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }
}

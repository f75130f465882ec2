package dev.petlet.core.server;

import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeLabels;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code /runningpods/} list: a pod per UID with a ready sandbox or a running container, carrying only
 * UID, namespace, name and its running containers' names and images, as the kubelet's {@code ToAPIPod}.
 */
final class RunningPods {
    private RunningPods() {}

    static PodList of(List<PodSandboxSummary> sandboxes, List<ContainerSummary> containers) {
        Map<String, Identity> pods = new LinkedHashMap<>();
        for (PodSandboxSummary sandbox : sandboxes) {
            if (sandbox.state() == PodSandboxState.READY) {
                pods.putIfAbsent(sandbox.podUid(), new Identity(sandbox.podUid(), sandbox.namespace(), sandbox.name()));
            }
        }
        Map<String, List<ContainerSummary>> running = new LinkedHashMap<>();
        for (ContainerSummary container : containers) {
            String uid = container.labels().get(RuntimeLabels.POD_UID);
            if (uid == null || container.state() != ContainerState.RUNNING) {
                continue;
            }
            running.computeIfAbsent(uid, key -> new ArrayList<>()).add(container);
            pods.putIfAbsent(
                    uid,
                    new Identity(
                            uid,
                            container.labels().getOrDefault(RuntimeLabels.POD_NAMESPACE, ""),
                            container.labels().getOrDefault(RuntimeLabels.POD_NAME, "")));
        }
        List<Pod> items = new ArrayList<>();
        for (Identity pod : pods.values()) {
            PodBuilder builder = new PodBuilder()
                    .withNewMetadata()
                    .withUid(pod.uid())
                    .withNamespace(pod.namespace())
                    .withName(pod.name())
                    .endMetadata()
                    .withNewSpec()
                    .endSpec();
            running.getOrDefault(pod.uid(), List.of()).stream()
                    .sorted(Comparator.comparing(ContainerSummary::name))
                    .forEach(c -> builder.editSpec()
                            .addToContainers(new ContainerBuilder()
                                    .withName(c.name())
                                    .withImage(c.image())
                                    .build())
                            .endSpec());
            items.add(builder.build());
        }
        items.sort(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                .thenComparing(p -> p.getMetadata().getName()));
        return new PodListBuilder()
                .withNewMetadata()
                .endMetadata()
                .withItems(items)
                .build();
    }

    private record Identity(String uid, String namespace, String name) {}
}

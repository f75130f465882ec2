package dev.petlet.core.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * A pod's ephemeral containers ({@code kubectl debug}): run like regular containers, once, never restarted,
 * optionally in a target container's PID namespace.
 */
final class EphemeralContainers {
    private EphemeralContainers() {}

    static List<EphemeralContainer> of(Pod pod) {
        return Optional.ofNullable(pod.getSpec().getEphemeralContainers()).orElse(List.of());
    }

    static Optional<EphemeralContainer> find(Pod pod, String name) {
        return of(pod).stream().filter(c -> c.getName().equals(name)).findFirst();
    }

    /** The fields a regular container shares with an ephemeral one (ports, probes and resources are not allowed). */
    static Container asContainer(EphemeralContainer ephemeral) {
        return new ContainerBuilder()
                .withName(ephemeral.getName())
                .withImage(ephemeral.getImage())
                .withImagePullPolicy(ephemeral.getImagePullPolicy())
                .withCommand(ephemeral.getCommand())
                .withArgs(ephemeral.getArgs())
                .withWorkingDir(ephemeral.getWorkingDir())
                .withEnv(ephemeral.getEnv())
                .withEnvFrom(ephemeral.getEnvFrom())
                .withVolumeMounts(ephemeral.getVolumeMounts())
                .withVolumeDevices(ephemeral.getVolumeDevices())
                .withSecurityContext(ephemeral.getSecurityContext())
                .withStdin(ephemeral.getStdin())
                .withStdinOnce(ephemeral.getStdinOnce())
                .withTty(ephemeral.getTty())
                .withTerminationMessagePath(ephemeral.getTerminationMessagePath())
                .withTerminationMessagePolicy(ephemeral.getTerminationMessagePolicy())
                .build();
    }
}

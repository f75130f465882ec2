package dev.petlet.e2e.stream;

import io.fabric8.kubernetes.api.model.PodBuilder;

/** Pods of one busybox container named {@code app} running a shell script. */
final class BusyboxPod {
    /** Imported locally by {@code scripts/test}; never pulled. */
    static final String IMAGE = "localhost/busybox:latest";

    static final String CONTAINER = "app";

    private BusyboxPod() {}

    /** A pod running {@code sh -c script} with the restart policy, ready to be edited further. */
    static PodBuilder pod(String name, String restartPolicy, String script) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy(restartPolicy)
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(IMAGE)
                .withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", script)
                .endContainer()
                .endSpec();
    }
}

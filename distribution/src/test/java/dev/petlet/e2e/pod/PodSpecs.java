package dev.petlet.e2e.pod;

import dev.petlet.testing.Poll;
import java.time.Duration;

/** Helpers for the E2E tests of environment and volumes: manifests start from a busybox pod that sleeps. */
final class PodSpecs {
    private PodSpecs() {}

    /** Waits for the namespace's default service account: pods created before it are refused by admission. */
    static void awaitDefaultServiceAccount(TestNamespace namespace) {
        Poll.untilTrue(
                Duration.ofSeconds(60),
                "service account default in " + namespace.name(),
                () -> namespace.kubectl("get", "serviceaccount", "default").exitCode() == 0);
    }

    /** The output of a command run in the pod's container, asserting it succeeds. */
    static String exec(TestNamespace namespace, String pod, String script) {
        return namespace.kubectlOk("exec", pod, "--", "sh", "-c", script);
    }
}

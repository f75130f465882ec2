package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.Poll;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
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

    /**
     * Asserts that the API server accepts a pod's projected token for the audience, as the namespace's default
     * service account, bound to that pod.
     */
    static void assertTokenAccepted(
            TestCluster cluster, TestNamespace namespace, String pod, String token, String audience) {
        TokenReview review = cluster.client()
                .resource(new TokenReviewBuilder()
                        .withNewSpec()
                        .withToken(token)
                        .withAudiences(audience)
                        .endSpec()
                        .build())
                .create();
        assertThat(review.getStatus().getAuthenticated())
                .as(String.valueOf(review.getStatus()))
                .isTrue();
        assertThat(review.getStatus().getUser().getUsername())
                .isEqualTo("system:serviceaccount:" + namespace.name() + ":default");
        assertThat(review.getStatus().getAudiences()).containsExactly(audience);
        assertThat(review.getStatus().getUser().getExtra().get("authentication.kubernetes.io/pod-name"))
                .containsExactly(pod);
    }
}

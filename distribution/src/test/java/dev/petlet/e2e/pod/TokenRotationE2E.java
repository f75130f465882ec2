package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A projected service-account token is replaced in the running container once 80% of its lifetime has passed,
 * as the kubelet's token manager does, and the API server accepts the new token. The API server issues tokens
 * for at least 10 minutes, so the rotation comes after 8 minutes of real time: this class runs concurrently
 * with the other E2E classes (the failsafe configuration enables JUnit's parallel mode; every other class runs
 * on the one main thread, in turn), and only waits.
 */
@SandboxE2E
@Execution(ExecutionMode.CONCURRENT)
class TokenRotationE2E {
    private static final String AUDIENCE = "petlet-rotation";
    private static final long LIFETIME_SECONDS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestNamespace namespace;
    private static TestCluster cluster;

    @BeforeAll
    static void createPod(TestCluster testCluster) {
        cluster = testCluster;
        namespace = TestNamespace.create(cluster, "e2e-token-rotation");
        PodSpecs.awaitDefaultServiceAccount(namespace);
        namespace.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: rotating}
                spec:
                  containers:
                  - name: app
                    image: localhost/busybox:latest
                    imagePullPolicy: IfNotPresent
                    command:
                    - sh
                    - -c
                    - |
                      seen=
                      while true; do
                        current=$(cat /var/run/rotating/token)
                        [ "$current" != "$seen" ] && echo "$current"
                        seen=$current
                        sleep 2
                      done
                    volumeMounts: [{name: token, mountPath: /var/run/rotating}]
                  volumes:
                  - name: token
                    projected:
                      sources:
                      - serviceAccountToken: {audience: AUDIENCE, expirationSeconds: LIFETIME, path: token}
                """.replace("AUDIENCE", AUDIENCE).replace("LIFETIME", Long.toString(LIFETIME_SECONDS)));
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void theTokenIsReplacedAfterFourFifthsOfItsLifetimeAndTheNewOneIsAccepted() {
        namespace.awaitReady("rotating");
        String first = token();
        assertAccepted(first);
        JsonNode firstClaims = claims(first);
        assertThat(firstClaims.path("exp").asLong() - firstClaims.path("iat").asLong())
                .as("the token's lifetime")
                .isEqualTo(LIFETIME_SECONDS);

        // Refreshed once 80% of the lifetime has passed (minus a jitter of up to 10 s): 480 s after issue. The
        // deadline leaves the kubelet's refresh interval and a busy machine some room, still before the first
        // token expires.
        long issued = firstClaims.path("iat").asLong();
        long wait = Math.max(60, issued + LIFETIME_SECONDS - 20 - System.currentTimeMillis() / 1000);
        List<String> seen = Poll.until(
                Duration.ofSeconds(wait),
                Duration.ofSeconds(2),
                "the container to see a new token before the first one expires",
                () -> {
                    List<String> tokens = tokensSeen();
                    return tokens.size() >= 2 ? Optional.of(tokens) : Optional.empty();
                });
        assertThat(seen.get(0)).as("the first token the container saw").isEqualTo(first);
        String second = seen.get(1);
        assertThat(token()).as("the token file now").isEqualTo(second);

        JsonNode secondClaims = claims(second);
        assertThat(secondClaims.path("iat").asLong() - issued)
                .as("seconds from the first token's issue to the second's (80% of 600 s is 480)")
                .isBetween(LIFETIME_SECONDS * 8 / 10 - 15, LIFETIME_SECONDS - 20);
        assertThat(secondClaims.path("exp").asLong() - secondClaims.path("iat").asLong())
                .isEqualTo(LIFETIME_SECONDS);
        assertAccepted(second);
    }

    /** The distinct tokens the container's loop has printed, in order: one per line of its log. */
    private static List<String> tokensSeen() {
        String log = cluster.client()
                .pods()
                .inNamespace(namespace.name())
                .withName("rotating")
                .getLog();
        return log.lines().filter(line -> !line.isBlank()).toList();
    }

    private static String token() {
        return PodSpecs.exec(namespace, "rotating", "cat /var/run/rotating/token");
    }

    private static void assertAccepted(String token) {
        PodSpecs.assertTokenAccepted(cluster, namespace, "rotating", token, AUDIENCE);
    }

    private static JsonNode claims(String token) {
        String[] parts = token.split("\\.");
        assertThat(parts).as("a JWT's three parts").hasSize(3);
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthorizationAttributesTest {
    private static final User ALICE = User.of("alice", List.of("dev"));

    private static List<String> subresources(String path) {
        return AuthorizationAttributes.forRequest(ALICE, HttpMethod.GET, path, "node-1").stream()
                .map(AuthorizationAttributes::subresource)
                .toList();
    }

    @Test
    void verbsFromMethods() {
        assertThat(AuthorizationAttributes.verb(HttpMethod.POST)).isEqualTo("create");
        assertThat(AuthorizationAttributes.verb(HttpMethod.GET)).isEqualTo("get");
        assertThat(AuthorizationAttributes.verb(HttpMethod.HEAD)).isEqualTo("get");
        assertThat(AuthorizationAttributes.verb(HttpMethod.PUT)).isEqualTo("update");
        assertThat(AuthorizationAttributes.verb(HttpMethod.PATCH)).isEqualTo("patch");
        assertThat(AuthorizationAttributes.verb(HttpMethod.DELETE)).isEqualTo("delete");
        assertThat(AuthorizationAttributes.verb(HttpMethod.OPTIONS)).isEmpty();
    }

    @Test
    void subresourcesFromPaths() {
        assertThat(subresources("/stats/summary")).containsExactly("stats");
        assertThat(subresources("/stats")).containsExactly("stats");
        assertThat(subresources("/statsx")).containsExactly("proxy");
        assertThat(subresources("/metrics/cadvisor")).containsExactly("metrics");
        assertThat(subresources("/logs/syslog")).containsExactly("log");
        assertThat(subresources("/spec/")).containsExactly("spec");
        assertThat(subresources("/checkpoint/a/b/c")).containsExactly("checkpoint");
        assertThat(subresources("/exec/a/b/c")).containsExactly("proxy");
        assertThat(subresources("/attach/a/b/c")).containsExactly("proxy");
        assertThat(subresources("/portForward/a/b")).containsExactly("proxy");
        assertThat(subresources("/containerLogs/a/b/c")).containsExactly("proxy");
    }

    @Test
    void fineGrainedSubresourcesComeFirstThenProxy() {
        assertThat(subresources("/pods")).containsExactly("pods", "proxy");
        assertThat(subresources("/runningpods/")).containsExactly("pods", "proxy");
        assertThat(subresources("/healthz")).containsExactly("healthz", "proxy");
        assertThat(subresources("/healthz/ping")).containsExactly("healthz", "proxy");
        assertThat(subresources("/configz")).containsExactly("configz", "proxy");
    }

    @Test
    void attributesCarryUserVerbAndNode() {
        assertThat(AuthorizationAttributes.forRequest(ALICE, HttpMethod.POST, "/exec/a/b/c", "node-1"))
                .containsExactly(new AuthorizationAttributes(ALICE, "create", "proxy", "node-1"));
    }

    @Test
    void forbiddenMessageAsTheKubeletWritesIt() {
        assertThat(AuthorizationAttributes.forbiddenMessage(
                        AuthorizationAttributes.forRequest(ALICE, HttpMethod.GET, "/pods", "node-1")))
                .isEqualTo("Forbidden (user=alice, verb=get, resource=nodes, subresource(s)=[pods proxy])\n");
        assertThat(AuthorizationAttributes.forbiddenMessage(
                        AuthorizationAttributes.forRequest(ALICE, HttpMethod.POST, "/exec/a/b/c", "node-1")))
                .isEqualTo("Forbidden (user=alice, verb=create, resource=nodes, subresource(s)=[proxy])\n");
    }
}

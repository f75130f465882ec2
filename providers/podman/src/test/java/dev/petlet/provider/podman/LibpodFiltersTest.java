package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.PodSandboxFilter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LibpodFiltersTest {

    @Test
    void labelFiltersBecomeSortedKeyEqualsValueStrings() throws Exception {
        String query = LibpodFilters.containers(
                ContainerFilter.withLabels(Map.of("io.petlet.pod.uid", "u-1", "app", "web server")));

        assertThat(query).startsWith("?all=true&filters=");
        JsonNode filters = decodeFilters(query);
        assertThat(filters.path("label"))
                .extracting(JsonNode::asText)
                .containsExactly("app=web server", "io.petlet.pod.uid=u-1");
    }

    @Test
    void idAndSandboxBecomeIdAndPodFilters() throws Exception {
        String query = LibpodFilters.containers(new ContainerFilter("abc", "pod1", ContainerState.RUNNING, Map.of()));

        JsonNode filters = decodeFilters(query);
        assertThat(filters.path("id").get(0).asText()).isEqualTo("abc");
        assertThat(filters.path("pod").get(0).asText()).isEqualTo("pod1");
        assertThat(filters.has("status")).as("state is filtered on our side").isFalse();
    }

    @Test
    void emptyFiltersAddNothing() {
        assertThat(LibpodFilters.containers(ContainerFilter.ALL)).isEqualTo("?all=true");
        assertThat(LibpodFilters.pods(PodSandboxFilter.ALL)).isEmpty();
    }

    @Test
    void podFiltersUseLabels() throws Exception {
        String query = LibpodFilters.pods(PodSandboxFilter.withLabels(Map.of("a", "b")));

        assertThat(query).startsWith("?filters=");
        assertThat(decodeFilters(query).path("label").get(0).asText()).isEqualTo("a=b");
    }

    @Test
    void parametersAreUrlEncoded() {
        assertThat(LibpodFilters.parameter("reference", "host:5000/app@sha256:x y"))
                .isEqualTo("reference=host%3A5000%2Fapp%40sha256%3Ax+y");
    }

    private static JsonNode decodeFilters(String query) throws Exception {
        String encoded = query.substring(query.indexOf("filters=") + "filters=".length());
        return Fixtures.JSON.readTree(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    }
}

package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petlet.spi.runtime.RegistryCredentials;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryAuthHeaderTest {

    @Test
    void encodesDockerAuthConfigAsUrlSafeBase64Json() throws Exception {
        String header = RegistryAuthHeader.encode(RegistryCredentials.basic("user", "pa??/>word"), "127.0.0.1:5000");

        assertThat(header).doesNotContain("+", "/");
        JsonNode auth = Fixtures.JSON.readTree(Base64.getUrlDecoder().decode(header));
        assertThat(auth.path("username").asText()).isEqualTo("user");
        assertThat(auth.path("password").asText()).isEqualTo("pa??/>word");
        assertThat(auth.path("serveraddress").asText()).isEqualTo("127.0.0.1:5000");
        assertThat(auth.has("identitytoken")).isFalse();
    }

    @Test
    void identityTokensGoInTheirOwnField() throws Exception {
        String header = RegistryAuthHeader.encode(new RegistryCredentials(null, null, "token-1"), "r.example");

        JsonNode auth = Fixtures.JSON.readTree(Base64.getUrlDecoder().decode(header));
        assertThat(auth.path("identitytoken").asText()).isEqualTo("token-1");
        assertThat(auth.has("username")).isFalse();
    }

    @Test
    void paddingIsKeptBecausePodmanDecodesWithPadding() {
        String header = RegistryAuthHeader.encode(RegistryCredentials.basic("u", "p"), "r");

        assertThat(header.length() % 4).isZero();
    }

    @Test
    void findsTheRegistryOfAReference() {
        assertThat(RegistryAuthHeader.registryOf("127.0.0.1:5000/app:1")).isEqualTo("127.0.0.1:5000");
        assertThat(RegistryAuthHeader.registryOf("registry.example/team/app")).isEqualTo("registry.example");
        assertThat(RegistryAuthHeader.registryOf("localhost/busybox:latest")).isEqualTo("localhost");
        assertThat(RegistryAuthHeader.registryOf("library/busybox")).isEqualTo("docker.io");
        assertThat(RegistryAuthHeader.registryOf("busybox")).isEqualTo("docker.io");
    }

    @Test
    void credentialsNeverShowTheirSecrets() {
        assertThat(RegistryCredentials.basic("user", "hunter2").toString()).doesNotContain("hunter2");
    }
}

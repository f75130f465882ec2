package dev.petlet.core.pod;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    @Test
    void findsTheRegistryAndWhetherTheTagIsLatest() {
        assertThat(ImageReference.parse("busybox")).hasValueSatisfying(r -> {
            assertThat(r.registry()).isEqualTo("docker.io");
            assertThat(r.latestOrUntagged()).isTrue();
        });
        assertThat(ImageReference.parse("127.0.0.1:5000/team/app:1.2")).hasValueSatisfying(r -> {
            assertThat(r.registry()).isEqualTo("127.0.0.1:5000");
            assertThat(r.latestOrUntagged()).isFalse();
        });
        assertThat(ImageReference.parse("localhost/busybox:latest")
                        .orElseThrow()
                        .latestOrUntagged())
                .isTrue();
        assertThat(ImageReference.parse(
                                "quay.io/x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
                        .orElseThrow()
                        .latestOrUntagged())
                .isFalse();
    }

    @Test
    void rejectsInvalidNames() {
        assertThat(ImageReference.parse("Invalid:Image::")).isEmpty();
        assertThat(ImageReference.parse("UPPER/case")).isEmpty();
        assertThat(ImageReference.parse("")).isEmpty();
    }

    @Test
    void matchesPullSecretKeysToRegistries() {
        assertThat(PullSecrets.registryOf("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(PullSecrets.registryOf("http://127.0.0.1:5000/v2/")).isEqualTo("127.0.0.1:5000");
        assertThat(PullSecrets.registryOf("Registry.Example.com")).isEqualTo("registry.example.com");
    }
}

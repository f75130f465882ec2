package dev.petlet.sandbox.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KubernetesVersionsTest {
    @Test
    void acceptsReleaseVersions() {
        assertThat(KubernetesVersions.validate("v1.33.13")).isEqualTo("v1.33.13");
        assertThat(KubernetesVersions.validate(KubernetesVersions.DEFAULT)).isEqualTo(KubernetesVersions.DEFAULT);
        assertThat(KubernetesVersions.minor("v1.30.0")).isEqualTo(30);
    }

    @Test
    void rejectsOtherFormsWithASentenceNamingTheVersion() {
        for (String version :
                new String[] {"1.33.13", "v1.33", "v2.0.0", "v1.33.13-rc.1", "v1.33.x", "", " v1.33.13"}) {
            assertThatThrownBy(() -> KubernetesVersions.validate(version))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Kubernetes version '" + version
                            + "' is not of the form v1.MINOR.PATCH; give a release such as v1.33.13.");
        }
        assertThatThrownBy(() -> KubernetesVersions.validate(null)).hasMessageContaining("'null'");
    }

    @Test
    void pairsEachMinorReleaseWithItsEtcd() {
        assertThat(KubernetesVersions.etcdFor("v1.33.13")).isEqualTo("v3.5.21");
        assertThat(KubernetesVersions.etcdFor("v1.33.0")).isEqualTo("v3.5.21");
        assertThat(KubernetesVersions.etcdFor("v1.32.5")).isEqualTo("v3.5.16");
        assertThat(KubernetesVersions.etcdFor("v1.31.9")).isEqualTo("v3.5.15");
        assertThat(KubernetesVersions.etcdFor("v1.30.14")).isEqualTo("v3.5.12");
    }

    @Test
    void unknownMinorReleasesGetTheNewestKnownEtcd() {
        assertThat(KubernetesVersions.etcdFor("v1.29.0")).isEqualTo("v3.5.21");
        assertThat(KubernetesVersions.etcdFor("v1.40.1")).isEqualTo("v3.5.21");
    }

    @Test
    void stagingModulesShareMinorAndPatchUnderMajorZero() {
        assertThat(KubernetesVersions.stagingVersion("v1.33.13")).isEqualTo("v0.33.13");
        assertThat(KubernetesVersions.stagingVersion("v1.30.0")).isEqualTo("v0.30.0");
    }

    @Test
    void optionsRejectAnInvalidVersion() {
        assertThatThrownBy(() -> ResolverOptions.defaults("latest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'latest'");
    }

    @Test
    void javaArchitecturesMapToReleaseArchitectures() {
        assertThat(ResolverOptions.architecture("amd64")).isEqualTo("amd64");
        assertThat(ResolverOptions.architecture("x86_64")).isEqualTo("amd64");
        assertThat(ResolverOptions.architecture("aarch64")).isEqualTo("arm64");
        assertThat(ResolverOptions.architecture("s390x")).isEqualTo("s390x");
    }
}

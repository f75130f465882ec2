package dev.petlet.core.pod;

import static dev.petlet.core.pod.PodFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostsFileTest {
    @Test
    void aPodWithHostnameSubdomainAndAliasesGetsTheKubeletsFile() {
        Pod pod = pod("Always", "app")
                .editSpec()
                .withHostname("db-0")
                .withSubdomain("db")
                .addNewHostAlias()
                .withIp("10.1.2.3")
                .withHostnames("foo.local", "bar.local")
                .endHostAlias()
                .endSpec()
                .build();
        assertThat(HostsFile.forPod(pod, List.of("10.88.0.7"), "cluster.local"))
                .isEqualTo("# Kubernetes-managed hosts file.\n"
                        + "127.0.0.1\tlocalhost\n"
                        + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                        + "fe00::0\tip6-localnet\n"
                        + "fe00::0\tip6-mcastprefix\n"
                        + "fe00::1\tip6-allnodes\n"
                        + "fe00::2\tip6-allrouters\n"
                        + "10.88.0.7\tdb-0.db.shop.svc.cluster.local\tdb-0\n"
                        + "\n"
                        + "# Entries added by HostAliases.\n"
                        + "10.1.2.3\tfoo.local\tbar.local\n");
    }

    @Test
    void setHostnameAsFqdnMakesTheFqdnTheHostnameUpToSixtyFourCharacters() {
        Pod pod = pod("Always", "app")
                .editSpec()
                .withSubdomain("db")
                .withSetHostnameAsFQDN(true)
                .endSpec()
                .build();
        assertThat(HostsFile.sandboxHostname(pod, "cluster.local")).isEqualTo("web.db.shop.svc.cluster.local");
        assertThat(HostsFile.sandboxHostname(pod("Always", "app").build(), "cluster.local"))
                .isEqualTo("web");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> HostsFile.sandboxHostname(pod, "an-exceptionally-long-cluster-domain-name.example.com"))
                .hasMessageContaining("is too long (64 characters is the max, 69 characters requested)");
    }

    @Test
    void withoutSubdomainTheLineHasTheHostnameOnlyAndHostNetworkPodsGetTheNodesFile() {
        Pod pod = pod("Always", "app").build();
        assertThat(HostsFile.forPod(pod, List.of("10.88.0.7"), "cluster.local"))
                .endsWith("fe00::2\tip6-allrouters\n10.88.0.7\tweb\n");
        assertThat(HostsFile.forHostNetwork(pod, "127.0.0.1 localhost\n")).isEqualTo("127.0.0.1 localhost\n");
    }
}

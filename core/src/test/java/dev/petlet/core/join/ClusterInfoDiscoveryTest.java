package dev.petlet.core.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.core.cert.CertificateRequests;
import dev.petlet.core.cert.PemText;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterInfoDiscoveryTest {
    private final X509Certificate ca = CertificateRequests.selfSigned(
            "ca", CertificateRequests.newKeyPair(), List.of("ca"), List.of(), Instant.now());
    private final String clusterInfo = KubeconfigFile.renderWithToken(
                    "https://10.0.0.1:6443", PemText.encode(ca), "unused", "unused")
            .replaceAll("(?s)users:.*?contexts:", "users: []\ncontexts:");

    @Test
    void returnsServerAndCaWhenThePinMatches() throws Exception {
        ClusterInfoDiscovery.Cluster cluster =
                ClusterInfoDiscovery.verify(clusterInfo, CaCertificateHash.of(ca), "https://x:6443");
        assertThat(cluster.server()).isEqualTo("https://10.0.0.1:6443");
        assertThat(PemText.certificates(cluster.caCertificatePem())).containsExactly(ca);
    }

    @Test
    void refusesAnotherCaNamingBothHashes() {
        String pin = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> ClusterInfoDiscovery.verify(clusterInfo, pin, "https://x:6443"))
                .isInstanceOf(JoinException.class)
                .hasMessageContaining(CaCertificateHash.of(ca))
                .hasMessageContaining(pin)
                .hasMessageContaining("--discovery-token-ca-cert-hash");
    }

    @Test
    void acceptsOnlyHttpsServers() throws Exception {
        assertThat(ClusterInfoDiscovery.clusterInfoUri("https://h:6443/").toString())
                .isEqualTo("https://h:6443/api/v1/namespaces/kube-public/configmaps/cluster-info");
        assertThatThrownBy(() -> ClusterInfoDiscovery.clusterInfoUri("http://h:6443"))
                .isInstanceOf(JoinException.class)
                .hasMessageContaining("--server");
    }
}

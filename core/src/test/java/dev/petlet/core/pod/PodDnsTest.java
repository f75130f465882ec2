package dev.petlet.core.pod;

import static dev.petlet.core.pod.PodFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.DnsConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDnsTest {
    private static final String HOST = "# generated\nnameserver 192.0.2.53\nsearch lan example.com.\noptions edns0\n";
    private final PodDns clusterDns = new PodDns(List.of("10.96.0.10"), "cluster.local");
    private final PodDns noClusterDns = new PodDns(List.of(), "cluster.local");

    private static Pod withPolicy(String policy, boolean hostNetwork) {
        return pod("Always", "app")
                .editSpec()
                .withDnsPolicy(policy)
                .withHostNetwork(hostNetwork)
                .endSpec()
                .build();
    }

    @Test
    void clusterFirstUsesTheClusterDnsAndTheNamespacesSearchPath() {
        PodDns.Result result = clusterDns.configure(withPolicy("ClusterFirst", false), HOST);
        assertThat(result.missingClusterDns()).isEmpty();
        assertThat(PodDns.resolvConf(result.config()))
                .isEqualTo("search shop.svc.cluster.local svc.cluster.local cluster.local lan example.com\n"
                        + "nameserver 10.96.0.10\n"
                        + "options ndots:5\n");
    }

    @Test
    void hostNetworkPodsGetTheNodesResolverUnlessTheyAskForClusterFirstWithHostNet() {
        DnsConfig host =
                clusterDns.configure(withPolicy("ClusterFirst", true), HOST).config();
        assertThat(host.servers()).containsExactly("192.0.2.53");
        assertThat(host.options()).containsExactly("edns0");
        DnsConfig cluster = clusterDns
                .configure(withPolicy("ClusterFirstWithHostNet", true), HOST)
                .config();
        assertThat(cluster.servers()).containsExactly("10.96.0.10");
    }

    @Test
    void withoutClusterDnsClusterFirstFallsBackToDefaultWithAWarning() {
        PodDns.Result result = noClusterDns.configure(withPolicy("ClusterFirst", false), HOST);
        assertThat(result.config().servers()).containsExactly("192.0.2.53");
        assertThat(result.missingClusterDns())
                .hasValueSatisfying(
                        message -> assertThat(message)
                                .startsWith("pod: \"web_shop(")
                                .endsWith(
                                        "kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy."));
        assertThat(noClusterDns.configure(withPolicy("Default", false), HOST).missingClusterDns())
                .isEmpty();
    }

    @Test
    void policyNoneTakesOnlyTheDnsConfigAndOptionsMergeByName() {
        Pod none = pod("Always", "app")
                .editSpec()
                .withDnsPolicy("None")
                .withDnsConfig(new PodDNSConfigBuilder()
                        .withNameservers("1.2.3.4", "1.2.3.4", "5.6.7.8")
                        .withSearches("ns1.example.com")
                        .addNewOption()
                        .withName("ndots")
                        .withValue("2")
                        .endOption()
                        .addNewOption()
                        .withName("edns0")
                        .endOption()
                        .build())
                .endSpec()
                .build();
        assertThat(PodDns.resolvConf(clusterDns.configure(none, HOST).config()))
                .isEqualTo("search ns1.example.com\nnameserver 1.2.3.4\nnameserver 5.6.7.8\noptions ndots:2 edns0\n");

        Pod clusterFirst = pod("Always", "app")
                .editSpec()
                .withDnsConfig(new PodDNSConfigBuilder()
                        .withNameservers("9.9.9.9")
                        .addNewOption()
                        .withName("ndots")
                        .withValue("1")
                        .endOption()
                        .build())
                .endSpec()
                .build();
        DnsConfig merged = clusterDns.configure(clusterFirst, HOST).config();
        assertThat(merged.servers()).containsExactly("10.96.0.10", "9.9.9.9");
        assertThat(merged.options()).containsExactly("ndots:1");
    }
}

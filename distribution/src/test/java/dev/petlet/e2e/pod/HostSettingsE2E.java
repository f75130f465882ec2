package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import dev.petlet.testing.TestPorts;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostname, subdomain, hostAliases, DNS, sysctls, hostPort and hostNetwork, checked from inside the pod. */
@SandboxE2E
class HostSettingsE2E {
    private static TestNamespace namespace;

    @BeforeAll
    static void createNamespace(TestCluster cluster) {
        namespace = TestNamespace.create(cluster, "e2e-host");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void hostnameSubdomainAliasesDnsConfigAndSysctlsReachTheContainer() {
        Pod pod = BusyboxPods.pod("named", "Always", "sleep 3600")
                .editSpec()
                .withHostname("web-0")
                .withSubdomain("web")
                .withSetHostnameAsFQDN(true)
                .addNewHostAlias()
                .withIp("10.1.2.3")
                .withHostnames("foo.local", "bar.local")
                .endHostAlias()
                .withDnsPolicy("None")
                .withDnsConfig(new PodDNSConfigBuilder()
                        .withNameservers("192.0.2.53")
                        .withSearches("example.test")
                        .addNewOption()
                        .withName("ndots")
                        .withValue("2")
                        .endOption()
                        .build())
                .withSecurityContext(new PodSecurityContextBuilder()
                        .addNewSysctl()
                        .withName("net.ipv4.ip_unprivileged_port_start")
                        .withValue("100")
                        .endSysctl()
                        .build())
                .endSpec()
                .build();
        namespace.apply(pod);
        Pod running = namespace.awaitReady("named");
        String podIp = running.getStatus().getPodIP();

        assertThat(exec("named", "hostname")).isEqualTo("web-0.web." + namespace.name() + ".svc.cluster.local\n");
        assertThat(exec("named", "cat", "/etc/hosts"))
                .startsWith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n")
                .contains(podIp + "\tweb-0.web." + namespace.name() + ".svc.cluster.local\tweb-0\n")
                .endsWith("\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n");
        assertThat(exec("named", "cat", "/etc/resolv.conf"))
                .isEqualTo("search example.test\nnameserver 192.0.2.53\noptions ndots:2\n");
        assertThat(exec("named", "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start"))
                .isEqualTo("100\n");
    }

    @Test
    void anUnsafeSysctlIsRefusedAtAdmissionAsTheKubeletRefusesIt() {
        namespace.apply(BusyboxPods.pod("unsafe", "Always", "sleep 3600")
                .editSpec()
                .withSecurityContext(new PodSecurityContextBuilder()
                        .addNewSysctl()
                        .withName("kernel.msgmax")
                        .withValue("65536")
                        .endSysctl()
                        .build())
                .endSpec()
                .build());
        Pod refused = namespace.awaitPhase("unsafe", "Failed");
        assertThat(refused.getStatus().getReason()).isEqualTo("SysctlForbidden");
        assertThat(refused.getStatus().getMessage())
                .isEqualTo("Pod was rejected: forbidden sysctl: \"kernel.msgmax\" not allowlisted");
        namespace.awaitEvent("unsafe", "SysctlForbidden", "kernel.msgmax");
        assertThat(namespace.statusColumn("unsafe")).isEqualTo("SysctlForbidden");
    }

    @Test
    void aHostPortIsReachableOnTheNodesAddressAndClusterFirstFallsBackWithAWarning() throws Exception {
        int hostPort = TestPorts.shift(31080);
        Pod pod = BusyboxPods.pod(
                        "served",
                        "Always",
                        "mkdir -p /tmp/www && echo hello-hostport > /tmp/www/index.html && "
                                + "exec httpd -f -p 8080 -h /tmp/www")
                .editSpec()
                .editFirstContainer()
                .addNewPort()
                .withContainerPort(8080)
                .withHostPort(hostPort)
                .endPort()
                .endContainer()
                .endSpec()
                .build();
        namespace.apply(pod);
        namespace.awaitReady("served");
        String nodeIp = namespace
                .kubectlOk(
                        "get",
                        "node",
                        namespace.nodeName(),
                        "-o",
                        "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}")
                .strip();

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://" + nodeIp + ":" + hostPort + "/index.html");
        String body = Poll.until(TestNamespace.TIMEOUT, "GET " + uri, () -> {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        });
        assertThat(body).isEqualTo("hello-hostport\n");

        // the sandbox's node has no cluster DNS: ClusterFirst falls back to the node's resolver, as the kubelet's
        namespace.awaitEvent("served", "MissingClusterDNS", "kubelet does not have ClusterDNS IP configured");
        assertThat(exec("served", "cat", "/etc/resolv.conf")).contains("nameserver ");
    }

    @Test
    void aHostNetworkPodSeesTheNodesInterfacesAndItsAliases() throws IOException {
        Pod pod = BusyboxPods.pod("hostnet", "Always", "sleep 3600")
                .editSpec()
                .withHostNetwork(true)
                .addNewHostAlias()
                .withIp("10.9.9.9")
                .withHostnames("alias.local")
                .endHostAlias()
                .endSpec()
                .build();
        namespace.apply(pod);
        namespace.awaitReady("hostnet");

        // podman0 is the node's bridge to pod networks: only the node's network namespace has it
        assertThat(exec("hostnet", "cat", "/proc/net/dev")).contains("podman0:");
        // and the node's UTS namespace, so its hostname
        assertThat(exec("hostnet", "hostname"))
                .isEqualTo(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")));
        assertThat(exec("hostnet", "cat", "/etc/hosts"))
                .endsWith("\n# Entries added by HostAliases.\n10.9.9.9\talias.local\n");
    }

    private static String exec(String pod, String... command) {
        return PodExec.run(namespace, pod, command);
    }
}

package dev.petlet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.sandbox.binaries.BinarySet;
import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.sandbox.pki.ClusterPki;
import dev.petlet.sandbox.pki.PkiSpec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags that make the sandbox behave like a locked-down cluster, pinned. */
class ControlPlaneCommandsTest {
    @TempDir
    Path directory;

    private StateDirectory state;
    private ControlPlaneCommands commands;

    @BeforeEach
    void setUp() throws Exception {
        state = StateDirectory.lock(directory);
        ClusterPki pki = ClusterPki.ensure(
                state.pki(),
                new PkiSpec(
                        List.of("localhost"),
                        List.of(InetAddress.getByName("127.0.0.1")),
                        Duration.ofDays(1),
                        Duration.ofDays(2)),
                Clock.systemUTC());
        Path bin = Path.of("/opt/k8s");
        commands = new ControlPlaneCommands(
                new BinarySet(
                        "v1.33.13",
                        bin.resolve("etcd"),
                        bin.resolve("kube-apiserver"),
                        bin.resolve("kube-controller-manager"),
                        bin.resolve("kube-scheduler"),
                        "bin-dir"),
                pki,
                state,
                SandboxPorts.DEFAULT,
                InetAddress.getByName("192.0.2.2"),
                Duration.ofHours(1));
    }

    @AfterEach
    void tearDown() throws Exception {
        state.close();
    }

    @Test
    void etcdListensOnLoopbackOnly() {
        assertThat(commands.etcd().command())
                .contains("--listen-client-urls=http://127.0.0.1:2379", "--listen-peer-urls=http://127.0.0.1:2380");
    }

    @Test
    void theApiServerIsLockedDownLikeAManagedOne() {
        assertThat(commands.kubeApiserver().command())
                .contains(
                        "--authorization-mode=Node,RBAC",
                        "--enable-admission-plugins=NodeRestriction",
                        "--enable-bootstrap-token-auth=true",
                        "--advertise-address=192.0.2.2",
                        "--secure-port=6443");
        assertThat(commands.kubeApiserver().command())
                .doesNotContain("--anonymous-auth=true")
                .contains("--authentication-config=" + commands.authenticationConfigFile());
        // Anonymous requests reach only cluster-info, which joining nodes read before they trust the cluster.
        assertThat(ControlPlaneCommands.authenticationConfiguration())
                .contains("enabled: true", "- path: /api/v1/namespaces/kube-public/configmaps/cluster-info")
                .doesNotContain("/api/v1/namespaces/kube-system");
        assertThat(commands.kubeApiserver().command())
                .anyMatch(flag -> flag.startsWith("--kubelet-certificate-authority="))
                .noneMatch(flag -> flag.startsWith("--insecure-port"));
    }

    @Test
    void theControllerManagerSignsNodeCertificatesAndRunsTheBootstrapControllers() {
        assertThat(commands.kubeControllerManager().command())
                .contains(
                        "--controllers=*,bootstrapsigner,tokencleaner",
                        "--cluster-signing-duration=3600s",
                        "--bind-address=127.0.0.1",
                        "--secure-port=10257")
                .anyMatch(flag -> flag.startsWith("--cluster-signing-cert-file="));
        assertThat(commands.kubeScheduler().command()).contains("--bind-address=127.0.0.1", "--secure-port=10259");
    }

    @Test
    void metricsServerVerifiesTheKubeletsAndTheAggregatorDialsItsEndpoint() {
        Path pki = Path.of("/pki");
        assertThat(commands.metricsServer(
                                Path.of("/opt/metrics-server"),
                                new CertificateFiles(pki.resolve("ms.crt"), pki.resolve("ms.key")),
                                new CertificateFiles(pki.resolve("msc.crt"), pki.resolve("msc.key")),
                                Path.of("/state/metrics-server.kubeconfig"))
                        .command())
                .startsWith("/opt/metrics-server")
                .contains(
                        "--bind-address=192.0.2.2",
                        "--secure-port=8990",
                        "--tls-cert-file=/pki/ms.crt",
                        "--kubeconfig=/state/metrics-server.kubeconfig",
                        "--kubelet-preferred-address-types=InternalIP",
                        "--kubelet-use-node-status-port",
                        "--kubelet-client-certificate=/pki/msc.crt",
                        "--metric-resolution=15s")
                .anyMatch(flag -> flag.startsWith("--kubelet-certificate-authority="))
                .noneMatch(flag -> flag.startsWith("--kubelet-insecure-tls"));
        assertThat(commands.kubeApiserver().command()).contains("--enable-aggregator-routing=true");
    }
}

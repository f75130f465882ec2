package dev.petlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Commands;
import dev.petlet.testing.Kubectl;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sandbox behaves like any cluster for the real kubectl, and is ready for nodes to join. */
@SandboxE2E
class SandboxClusterE2E {

    @Test
    void answersReadyz(Kubectl kubectl) {
        CommandResult result = kubectl.run("get", "--raw", "/readyz");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout().trim()).isEqualTo("ok");
        assertThat(kubectl.run("get", "--raw", "/readyz?verbose").stdout())
                .contains("[+]etcd ok")
                .contains("[+]poststarthook/rbac/bootstrap-roles ok");
    }

    @Test
    void createsANamespace(Kubectl kubectl) {
        String namespace = "e2e-created-" + Long.toString(System.nanoTime(), 36);
        CommandResult created = kubectl.run("create", "namespace", namespace);
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(kubectl.run("get", "namespace", namespace, "-o", "jsonpath={.status.phase}")
                        .stdout())
                .isEqualTo("Active");
        assertThat(kubectl.run("delete", "namespace", namespace, "--wait=false").exitCode())
                .isZero();
    }

    @Test
    void authorizesLikeAnyCluster(TestCluster cluster) {
        Kubectl admin = cluster.kubectl();
        assertThat(admin.run("auth", "can-i", "create", "pods", "--all-namespaces")
                        .stdout()
                        .trim())
                .isEqualTo("yes");
        CommandResult whoami =
                withBootstrapToken(cluster, "auth", "whoami", "-o", "jsonpath={.status.userInfo.groups}");
        assertThat(whoami.stdout()).as(whoami.toString()).contains("system:bootstrappers");
        CommandResult csr = withBootstrapToken(
                cluster, "auth", "can-i", "create", "certificatesigningrequests.certificates.k8s.io");
        assertThat(csr.stdout().trim()).as(csr.toString()).isEqualTo("yes");
        CommandResult secrets = withBootstrapToken(cluster, "auth", "can-i", "list", "secrets", "-n", "kube-system");
        assertThat(secrets.stdout().trim()).as(secrets.toString()).isEqualTo("no");
        assertThat(secrets.exitCode()).isEqualTo(1);
    }

    /** kubectl with only the bootstrap token, the way a joining node authenticates. */
    private static CommandResult withBootstrapToken(TestCluster cluster, String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                "kubectl",
                "--kubeconfig=/dev/null",
                "--server=" + cluster.sandbox().server(),
                "--certificate-authority=" + cluster.sandbox().pki().caCertificate(),
                "--token=" + cluster.sandbox().bootstrapToken().value()));
        command.addAll(List.of(arguments));
        return Commands.run(Duration.ofMinutes(1), command);
    }

    @Test
    void rejectsAnonymousRequests(TestCluster cluster) {
        CommandResult anonymous = Commands.run(
                Duration.ofMinutes(1),
                List.of(
                        "curl",
                        "-sk",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code}",
                        cluster.sandbox().server() + "/api"));
        assertThat(anonymous.stdout()).as(anonymous.toString()).isEqualTo("401");
    }

    @Test
    void publishesClusterInfoSignedForTheBootstrapToken(TestCluster cluster) {
        // The controller-manager's bootstrapsigner signs cluster-info with each token: proof that
        // the controller-manager runs with the controllers nodes need to join.
        String jwsKey = "jws-kubeconfig-" + cluster.sandbox().bootstrapToken().id();
        ConfigMap info = Poll.until(
                Duration.ofMinutes(1),
                "cluster-info to be signed",
                () -> Optional.ofNullable(cluster.client()
                                .configMaps()
                                .inNamespace("kube-public")
                                .withName("cluster-info")
                                .get())
                        .filter(c -> c.getData().containsKey(jwsKey)));
        assertThat(info.getData().get("kubeconfig"))
                .contains("server: " + cluster.sandbox().server());
    }

    @Test
    void runsThisMachineAsItsReadyNode(TestCluster cluster) {
        String node = cluster.nodeName();
        CommandResult ready = cluster.kubectl()
                .run("get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}");
        assertThat(ready.stdout()).as(ready.toString()).isEqualTo("True");
        assertThat(cluster.kubectl()
                        .run("get", "node", node, "-o", "jsonpath={.status.nodeInfo.kubeletVersion}")
                        .stdout())
                .startsWith("v1.33.13+petlet.");
    }
}

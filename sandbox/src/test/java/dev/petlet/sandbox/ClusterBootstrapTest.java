package dev.petlet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClusterBootstrapTest {
    private final BootstrapToken token = new BootstrapToken("abcdef", "0123456789abcdef");
    private final List<HasMetadata> objects =
            ClusterBootstrap.objects(token, "https://10.1.2.3:6443", "PEM".getBytes(StandardCharsets.US_ASCII));

    @Test
    void createsABootstrapTokenSecretThatAuthenticatesAndSigns() {
        Secret secret = only(Secret.class);
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(secret.getMetadata().getName()).isEqualTo("bootstrap-token-abcdef");
        assertThat(secret.getType()).isEqualTo("bootstrap.kubernetes.io/token");
        assertThat(secret.getStringData())
                .containsEntry("token-id", "abcdef")
                .containsEntry("token-secret", "0123456789abcdef")
                .containsEntry("usage-bootstrap-authentication", "true")
                .containsEntry("usage-bootstrap-signing", "true");
    }

    @Test
    void bindsTheNodeBootstrapAndAutoApprovalRoles() {
        Map<String, String> roleBySubject = objects.stream()
                .filter(ClusterRoleBinding.class::isInstance)
                .map(ClusterRoleBinding.class::cast)
                .collect(Collectors.toMap(
                        b -> b.getRoleRef().getName(),
                        b -> b.getSubjects().get(0).getName()));
        assertThat(roleBySubject)
                .containsEntry("system:node-bootstrapper", "system:bootstrappers")
                .containsEntry(
                        "system:certificates.k8s.io:certificatesigningrequests:nodeclient", "system:bootstrappers")
                .containsEntry("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", "system:nodes")
                .containsEntry("system:kubelet-api-admin", "kube-apiserver-kubelet-client");
    }

    @Test
    void publishesClusterInfoWithTheCaAndServer() {
        ConfigMap info = only(ConfigMap.class);
        assertThat(info.getMetadata().getNamespace()).isEqualTo("kube-public");
        assertThat(info.getData().get("kubeconfig"))
                .contains("server: https://10.1.2.3:6443")
                .contains("certificate-authority-data: UEVN");
    }

    private <T> T only(Class<T> type) {
        List<T> matching =
                objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }
}

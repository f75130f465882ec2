package dev.petlet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsServerAddonTest {
    private static final byte[] CA = "-----BEGIN CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void grantsWhatMetricsServersManifestsGrant() throws Exception {
        List<HasMetadata> objects = MetricsServerAddon.objects(InetAddress.getByName("192.0.2.2"), 8990, CA);

        ClusterRole role = only(objects, ClusterRole.class, "system:metrics-server");
        assertThat(role.getRules())
                .anySatisfy(rule -> assertThat(rule.getResources()).contains("nodes/metrics", "nodes/stats"))
                .anySatisfy(rule -> assertThat(rule.getVerbs()).contains("list", "watch"));
        assertThat(only(objects, ClusterRoleBinding.class, "system:metrics-server")
                        .getSubjects())
                .singleElement()
                .satisfies(subject -> assertThat(subject.getName()).isEqualTo(MetricsServerAddon.USER));
        assertThat(only(objects, ClusterRoleBinding.class, "metrics-server:system:auth-delegator")
                        .getRoleRef()
                        .getName())
                .isEqualTo("system:auth-delegator");
        assertThat(only(objects, RoleBinding.class, "metrics-server-auth-reader")
                        .getRoleRef()
                        .getName())
                .isEqualTo("extension-apiserver-authentication-reader");
    }

    @Test
    void theApiServiceReachesTheHostAddressThroughASelectorlessService() throws Exception {
        List<HasMetadata> objects = MetricsServerAddon.objects(InetAddress.getByName("192.0.2.2"), 8990, CA);

        Service service = only(objects, Service.class, "metrics-server");
        assertThat(service.getSpec().getSelector()).isNullOrEmpty();
        assertThat(service.getSpec().getPorts().getFirst().getTargetPort().getIntVal())
                .isEqualTo(8990);
        Endpoints endpoints = only(objects, Endpoints.class, "metrics-server");
        assertThat(endpoints.getSubsets().getFirst().getAddresses().getFirst().getIp())
                .isEqualTo("192.0.2.2");
        EndpointSlice slice = only(objects, EndpointSlice.class, "metrics-server");
        assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "metrics-server");
        assertThat(slice.getAddressType()).isEqualTo("IPv4");
        assertThat(slice.getPorts().getFirst().getPort()).isEqualTo(8990);

        GenericKubernetesResource apiService = only(objects, GenericKubernetesResource.class, "v1beta1.metrics.k8s.io");
        assertThat(apiService.getApiVersion()).isEqualTo("apiregistration.k8s.io/v1");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
                (Map<String, Object>) apiService.getAdditionalProperties().get("spec");
        assertThat(spec)
                .containsEntry("group", "metrics.k8s.io")
                .containsEntry("version", "v1beta1")
                .containsEntry("caBundle", Base64.getEncoder().encodeToString(CA))
                .containsEntry("service", Map.of("namespace", "kube-system", "name", "metrics-server", "port", 443));
    }

    @Test
    void refusesALoopbackEndpoint() {
        assertThatThrownBy(() -> MetricsServerAddon.objects(InetAddress.getByName("127.0.0.1"), 8990, CA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }
}

package dev.petlet.sandbox;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What makes metrics-server, running as a host process of the sandbox, serve {@code metrics.k8s.io} through the
 * API server: its RBAC (as metrics-server's own manifests grant it, to the user of its client certificate), a
 * selector-less Service in kube-system whose only endpoint is this machine's address and metrics-server's port (the
 * API server dials it directly, {@code --enable-aggregator-routing}; it refuses loopback endpoints), and the
 * {@code v1beta1.metrics.k8s.io} APIService that trusts the cluster CA for the Service's name.
 */
final class MetricsServerAddon {
    static final String NAME = "metrics-server";
    static final String NAMESPACE = "kube-system";
    /** The user of metrics-server's client certificate, toward the API server and the kubelets. */
    static final String USER = "system:metrics-server";
    /** The name the API server checks metrics-server's serving certificate against. */
    static final String SERVICE_DNS_NAME = NAME + "." + NAMESPACE + ".svc";

    private static final String RBAC = "rbac.authorization.k8s.io";

    private MetricsServerAddon() {}

    static List<HasMetadata> objects(InetAddress hostAddress, int port, byte[] caCertificatePem) {
        if (hostAddress.isLoopbackAddress()) {
            throw new IllegalArgumentException("metrics-server's endpoint cannot be the loopback address "
                    + hostAddress.getHostAddress() + ": the API server refuses loopback endpoints");
        }
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(USER)
                .endMetadata()
                .withRules(
                        new PolicyRuleBuilder()
                                .withApiGroups("")
                                .withResources("nodes/metrics", "nodes/stats")
                                .withVerbs("get")
                                .build(),
                        new PolicyRuleBuilder()
                                .withApiGroups("")
                                .withResources("pods", "nodes")
                                .withVerbs("get", "list", "watch")
                                .build())
                .build());
        objects.add(new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("system:aggregated-metrics-reader")
                .withLabels(Map.of(
                        "rbac.authorization.k8s.io/aggregate-to-admin", "true",
                        "rbac.authorization.k8s.io/aggregate-to-edit", "true",
                        "rbac.authorization.k8s.io/aggregate-to-view", "true"))
                .endMetadata()
                .withRules(new PolicyRuleBuilder()
                        .withApiGroups("metrics.k8s.io")
                        .withResources("pods", "nodes")
                        .withVerbs("get", "list", "watch")
                        .build())
                .build());
        objects.add(clusterRoleBinding(USER, USER));
        objects.add(clusterRoleBinding("metrics-server:system:auth-delegator", "system:auth-delegator"));
        objects.add(new RoleBindingBuilder()
                .withNewMetadata()
                .withName("metrics-server-auth-reader")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withNewRoleRef(RBAC, "Role", "extension-apiserver-authentication-reader")
                .withSubjects(user())
                .build());
        objects.add(new ServiceBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .withLabels(Map.of("k8s-app", NAME))
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("https")
                .withProtocol("TCP")
                .withPort(443)
                .withTargetPort(new IntOrString(port))
                .endPort()
                .endSpec()
                .build());
        // An EndpointSlice for the aggregator, and Endpoints for clients that still read them; mirroring off, so
        // the controller-manager does not add a second slice.
        objects.add(new EndpointsBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .withLabels(Map.of("endpointslice.kubernetes.io/skip-mirror", "true"))
                .endMetadata()
                .withSubsets(new EndpointSubsetBuilder()
                        .withAddresses(new EndpointAddressBuilder()
                                .withIp(hostAddress.getHostAddress())
                                .build())
                        .withPorts(new EndpointPortBuilder()
                                .withName("https")
                                .withPort(port)
                                .withProtocol("TCP")
                                .build())
                        .build())
                .build());
        objects.add(new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .withLabels(Map.of(
                        "kubernetes.io/service-name", NAME, "endpointslice.kubernetes.io/managed-by", "petlet-sandbox"))
                .endMetadata()
                .withAddressType(hostAddress instanceof Inet6Address ? "IPv6" : "IPv4")
                .withEndpoints(new EndpointBuilder()
                        .withAddresses(hostAddress.getHostAddress())
                        .withNewConditions()
                        .withReady(true)
                        .endConditions()
                        .build())
                .addNewPort()
                .withName("https")
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .build());
        objects.add(new GenericKubernetesResourceBuilder()
                .withApiVersion("apiregistration.k8s.io/v1")
                .withKind("APIService")
                .withNewMetadata()
                .withName("v1beta1.metrics.k8s.io")
                .withLabels(Map.of("k8s-app", NAME))
                .endMetadata()
                .addToAdditionalProperties(
                        "spec",
                        Map.of(
                                "group",
                                "metrics.k8s.io",
                                "version",
                                "v1beta1",
                                "groupPriorityMinimum",
                                100,
                                "versionPriority",
                                100,
                                "caBundle",
                                Base64.getEncoder().encodeToString(caCertificatePem),
                                "service",
                                Map.of("namespace", NAMESPACE, "name", NAME, "port", 443)))
                .build());
        return objects;
    }

    private static HasMetadata clusterRoleBinding(String name, String clusterRole) {
        return new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef(RBAC, "ClusterRole", clusterRole)
                .withSubjects(user())
                .build();
    }

    private static io.fabric8.kubernetes.api.model.rbac.Subject user() {
        return new SubjectBuilder()
                .withKind("User")
                .withName(USER)
                .withApiGroup(RBAC)
                .build();
    }
}

package dev.petlet.sandbox;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The objects that let a node join this cluster the way it joins any kubeadm-style cluster: a
 * bootstrap token, the RBAC for bootstrapping and for auto-approving node client certificates,
 * and {@code kube-public/cluster-info} for CA discovery. Applied server-side, so idempotent.
 */
final class ClusterBootstrap {
    static final String BOOTSTRAPPERS = "system:bootstrappers";
    static final String TOKEN_GROUP = "system:bootstrappers:petlet:default-node-token";
    static final String KUBELET_CLIENT_USER = "kube-apiserver-kubelet-client";
    private static final String FIELD_MANAGER = "petlet-sandbox";

    private ClusterBootstrap() {}

    /** Everything to apply, as plain objects: testable without a cluster. */
    static List<HasMetadata> objects(BootstrapToken token, String server, byte[] caCertificatePem) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new SecretBuilder()
                .withNewMetadata()
                .withName("bootstrap-token-" + token.id())
                .withNamespace("kube-system")
                .endMetadata()
                .withType("bootstrap.kubernetes.io/token")
                .withStringData(Map.of(
                        "description",
                        "petlet sandbox: lets this machine's node join",
                        "token-id",
                        token.id(),
                        "token-secret",
                        token.secret(),
                        "usage-bootstrap-authentication",
                        "true",
                        "usage-bootstrap-signing",
                        "true",
                        "auth-extra-groups",
                        TOKEN_GROUP))
                .build());
        objects.add(clusterRoleBinding("petlet:node-bootstrapper", "system:node-bootstrapper", "Group", BOOTSTRAPPERS));
        objects.add(clusterRoleBinding(
                "petlet:node-autoapprove-bootstrap",
                "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
                "Group",
                BOOTSTRAPPERS));
        objects.add(clusterRoleBinding(
                "petlet:node-autoapprove-certificate-rotation",
                "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
                "Group",
                "system:nodes"));
        objects.add(clusterRoleBinding(
                "petlet:kubelet-api-admin", "system:kubelet-api-admin", "User", KUBELET_CLIENT_USER));
        objects.add(new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("petlet:get-nodes")
                .endMetadata()
                .withRules(new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("nodes")
                        .withVerbs("get")
                        .build())
                .build());
        objects.add(clusterRoleBinding("petlet:get-nodes", "petlet:get-nodes", "Group", BOOTSTRAPPERS));
        objects.add(new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cluster-info")
                .withNamespace("kube-public")
                .endMetadata()
                .withData(Map.of("kubeconfig", clusterInfoKubeconfig(server, caCertificatePem)))
                .build());
        objects.add(new RoleBuilder()
                .withNewMetadata()
                .withName("petlet:bootstrap-signer-clusterinfo")
                .withNamespace("kube-public")
                .endMetadata()
                .withRules(new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withResourceNames("cluster-info")
                        .withVerbs("get")
                        .build())
                .build());
        objects.add(new RoleBindingBuilder()
                .withNewMetadata()
                .withName("petlet:bootstrap-signer-clusterinfo")
                .withNamespace("kube-public")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "petlet:bootstrap-signer-clusterinfo")
                .withSubjects(subject("Group", BOOTSTRAPPERS), subject("User", "system:anonymous"))
                .build());
        return objects;
    }

    static void apply(KubernetesClient client, List<HasMetadata> objects) {
        for (HasMetadata object : objects) {
            client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        }
    }

    private static HasMetadata clusterRoleBinding(String name, String clusterRole, String kind, String subject) {
        return new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                .withSubjects(subject(kind, subject))
                .build();
    }

    private static io.fabric8.kubernetes.api.model.rbac.Subject subject(String kind, String name) {
        SubjectBuilder subject = new SubjectBuilder().withKind(kind).withName(name);
        if (!kind.equals("ServiceAccount")) {
            subject.withApiGroup("rbac.authorization.k8s.io");
        }
        return subject.build();
    }

    /** kubeadm's cluster-info format: a kubeconfig with only the cluster, which the bootstrap signer signs. */
    static String clusterInfoKubeconfig(String server, byte[] caCertificatePem) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: ""
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                contexts: []
                current-context: ""
                users: []
                preferences: {}
                """.formatted(server, Base64.getEncoder().encodeToString(caCertificatePem));
    }
}

package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pod uses the in-cluster config (the automatic {@code kube-api-access-*} volume's token, CA and
 * namespace, and {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}) to list its own pod.
 */
@SandboxE2E
class InClusterConfigE2E {
    private static final String ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static TestNamespace namespace;
    private static TestCluster cluster;

    @BeforeAll
    static void createPod(TestCluster testCluster) {
        cluster = testCluster;
        namespace = TestNamespace.create(cluster, "e2e-incluster");
        PodSpecs.awaitDefaultServiceAccount(namespace);
        namespace.apply("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: pod-reader}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: pod-reader}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
                subjects: [{kind: ServiceAccount, name: default, namespace: NAMESPACE}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client}
                spec:
                  containers:
                  - name: app
                    image: localhost/busybox:latest
                    imagePullPolicy: IfNotPresent
                    command: [sh, -c, "exec sleep 3600"]
                """.replace("NAMESPACE", namespace.name()));
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void listsItsOwnPodThroughTheApiServer() throws Exception {
        Pod pod = namespace.awaitReady("client");
        assertThat(pod.getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getName()).startsWith("kube-api-access-"));

        String pods = PodSpecs.exec(
                namespace,
                "client",
                "wget -q -O- --header \"Authorization: Bearer $(cat " + ACCOUNT + "/token)\""
                        + " https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/$(cat "
                        + ACCOUNT + "/namespace)/pods");

        assertThat(pods.replaceAll("\\s", ""))
                .contains("\"kind\":\"PodList\"")
                .contains("\"uid\":\"" + pod.getMetadata().getUid() + "\"");
        String caInPod = PodSpecs.exec(namespace, "client", "cat " + ACCOUNT + "/ca.crt");
        assertThat(caInPod.strip())
                .isEqualTo(Files.readString(cluster.sandbox().pki().caCertificate())
                        .strip());
        assertThat(PodSpecs.exec(namespace, "client", "cat " + ACCOUNT + "/namespace"))
                .isEqualTo(namespace.name());
    }
}

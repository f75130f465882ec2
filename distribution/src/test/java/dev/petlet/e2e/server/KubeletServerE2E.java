package dev.petlet.e2e.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.provider.Providers;
import dev.petlet.core.server.KubeletServer;
import dev.petlet.core.server.KubeletServerSettings;
import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.RuntimeLabels;
import dev.petlet.testing.ClusterTls;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * petlet's kubelet API against the sandbox's API server: client certificates signed by the cluster CA, bearer
 * tokens checked with real TokenReviews and every request authorized with real SubjectAccessReviews made with a
 * node identity ({@code system:node:<name>}, which the Node authorizer lets create both), and container logs
 * streamed from a real Podman container. The server is started here on a free port with a serving certificate
 * for 127.0.0.1; the sandbox's own agent does not serve it.
 */
@SandboxE2E
class KubeletServerE2E {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path stateDirectory;

    private final String suffix = IntStream.range(0, 6)
            .mapToObj(i ->
                    String.valueOf((char) ('a' + ThreadLocalRandom.current().nextInt(26))))
            .collect(Collectors.joining());
    private final String nodeName = "e2e-kubelet-" + suffix;
    private final List<Pod> desiredPods = new CopyOnWriteArrayList<>();
    private TestCluster cluster;
    private KubernetesClient nodeClient;
    private ContainerRuntime runtime;
    private KubeletServer server;

    @BeforeEach
    void start(TestCluster cluster) throws Exception {
        this.cluster = cluster;
        CertificateFiles nodeCertificate = issue("node-client", "system:node:" + nodeName, List.of("system:nodes"));
        nodeClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(cluster.sandbox().server().toString())
                        .withCaCertFile(cluster.sandbox().pki().caCertificate().toString())
                        .withClientCertFile(nodeCertificate.certificate().toString())
                        .withClientKeyFile(nodeCertificate.key().toString())
                        .withClientKeyAlgo("EC")
                        .build())
                .build();
        CertificateFiles serving = cluster.sandbox()
                .pki()
                .issue(
                        "kubelet-e2e-serving-" + suffix,
                        "system:node:" + nodeName,
                        List.of("system:nodes"),
                        List.of("localhost"),
                        List.of(InetAddress.getByName("127.0.0.1")));
        runtime = Providers.load(getClass().getClassLoader())
                .runtime("podman", Map.of(), nodeName, stateDirectory, Clock.systemUTC());
        KubeletServerSettings settings = KubeletServerSettings.defaults(
                        nodeName,
                        serving.certificate(),
                        serving.key(),
                        cluster.sandbox().pki().caCertificate())
                .withAddress("127.0.0.1", 0);
        server = KubeletServer.start(
                settings,
                nodeClient,
                runtime,
                () -> desiredPods,
                Map.of("io.petlet.agent", "kubelet-e2e-" + suffix),
                stateDirectory,
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (nodeClient != null) {
            nodeClient.close();
        }
    }

    private CertificateFiles issue(String name, String commonName, List<String> organizations) throws IOException {
        return cluster.sandbox()
                .pki()
                .issue("kubelet-e2e-" + name + "-" + suffix, commonName, organizations, List.of(), List.of());
    }

    /** An HTTPS client that trusts the cluster CA and presents the certificate, if any. */
    private HttpClient client(Optional<CertificateFiles> certificate) throws Exception {
        SSLContext tls = ClusterTls.context(cluster, certificate);
        return HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .timeout(REQUEST_TIMEOUT);
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesTheUnauthenticatedAndTheUnauthorized() throws Exception {
        try (HttpClient anonymous = client(Optional.empty())) {
            HttpResponse<String> response = get(anonymous, "/pods");
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).isEqualTo("Unauthorized\n");
        }
        String nobody = "e2e-nobody-" + suffix;
        try (HttpClient client = client(Optional.of(issue("nobody", nobody, List.of("e2e-nobodies"))))) {
            HttpResponse<String> pods = get(client, "/pods");
            assertThat(pods.statusCode()).isEqualTo(403);
            assertThat(pods.body())
                    .isEqualTo(
                            "Forbidden (user=" + nobody + ", verb=get, resource=nodes, subresource(s)=[pods proxy])\n");
            HttpResponse<String> logs = get(client, "/containerLogs/default/web/app");
            assertThat(logs.body())
                    .isEqualTo("Forbidden (user=" + nobody + ", verb=get, resource=nodes, subresource(s)=[proxy])\n");
        }
    }

    @Test
    void anAdministratorCertificateAndTheApiServersIdentityMayReadEverything() throws Exception {
        desiredPods.add(new PodBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("web")
                .withUid("uid-" + suffix)
                .endMetadata()
                .withNewSpec()
                .withNodeName(nodeName)
                .addNewContainer()
                .withName("app")
                .withImage("localhost/busybox:latest")
                .endContainer()
                .endSpec()
                .build());
        CertificateFiles admin = issue("admin", "e2e-admin-" + suffix, List.of("system:masters"));
        try (HttpClient client = client(Optional.of(admin))) {
            HttpResponse<String> healthz = get(client, "/healthz");
            assertThat(healthz.statusCode()).isEqualTo(200);
            assertThat(healthz.body()).isEqualTo("ok");

            HttpResponse<String> pods = get(client, "/pods");
            assertThat(pods.statusCode()).isEqualTo(200);
            PodList list = cluster.client().getKubernetesSerialization().unmarshal(pods.body(), PodList.class);
            assertThat(list.getItems())
                    .extracting(p -> p.getMetadata().getUid())
                    .containsExactly("uid-" + suffix);

            assertThat(get(client, "/configz").body()).contains("\"port\":" + server.port());
            assertThat(get(client, "/containerLogs/default/other/app").body()).isEqualTo("pods \"other\" not found\n");
        }
        // What kube-apiserver presents for kubectl logs/exec: authorized through RBAC (system:kubelet-api-admin).
        CertificateFiles apiServer = new CertificateFiles(
                cluster.sandbox().pki().apiserverKubeletClientCertificate(),
                cluster.sandbox().pki().apiserverKubeletClientKey());
        try (HttpClient client = client(Optional.of(apiServer))) {
            assertThat(get(client, "/runningpods/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aServiceAccountTokenWithNodesProxyIsAllowed() throws Exception {
        String namespace = "e2e-kubelet-" + suffix;
        String role = "e2e-kubelet-proxy-" + suffix;
        KubernetesClient admin = cluster.client();
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
        try {
            admin.serviceAccounts()
                    .inNamespace(namespace)
                    .resource(new ServiceAccountBuilder()
                            .withNewMetadata()
                            .withName("monitor")
                            .endMetadata()
                            .build())
                    .create();
            admin.resources(ClusterRole.class)
                    .resource(new ClusterRoleBuilder()
                            .withNewMetadata()
                            .withName(role)
                            .endMetadata()
                            .addNewRule()
                            .withApiGroups("")
                            .withResources("nodes/proxy")
                            .withVerbs("get", "create")
                            .endRule()
                            .build())
                    .create();
            admin.resources(ClusterRoleBinding.class)
                    .resource(new ClusterRoleBindingBuilder()
                            .withNewMetadata()
                            .withName(role)
                            .endMetadata()
                            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
                            .addNewSubject()
                            .withKind("ServiceAccount")
                            .withName("monitor")
                            .withNamespace(namespace)
                            .endSubject()
                            .build())
                    .create();
            TokenRequest token = admin.serviceAccounts()
                    .inNamespace(namespace)
                    .withName("monitor")
                    .tokenRequest(new TokenRequestBuilder()
                            .withNewSpec()
                            .withExpirationSeconds(600L)
                            .endSpec()
                            .build());
            String bearer = "Bearer " + token.getStatus().getToken();

            try (HttpClient client = client(Optional.empty())) {
                // RBAC takes effect within moments; a denial is cached 30 s, so this may take that long.
                HttpResponse<String> healthz = Poll.until(TIMEOUT, "the token to be allowed nodes/proxy", () -> {
                    try {
                        HttpResponse<String> response = client.send(
                                request("/healthz")
                                        .header("Authorization", bearer)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        return response.statusCode() == 200 ? Optional.of(response) : Optional.empty();
                    } catch (IOException e) {
                        return Optional.empty();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError(e);
                    }
                });
                assertThat(healthz.body()).isEqualTo("ok");

                HttpResponse<String> wrongToken = client.send(
                        request("/healthz")
                                .header("Authorization", "Bearer not-a-token")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(wrongToken.statusCode()).isEqualTo(401);
            }
        } finally {
            admin.resources(ClusterRoleBinding.class).withName(role).delete();
            admin.resources(ClusterRole.class).withName(role).delete();
            admin.namespaces().withName(namespace).delete();
        }
    }

    @Test
    void followsAPodmanContainersLogAsItIsWritten() throws Exception {
        String uid = "uid-logs-" + suffix;
        String agent = "kubelet-e2e-" + suffix;
        PodSandboxConfig sandboxConfig = PodSandboxConfig.builder(uid, "default", "talker-" + suffix)
                .hostname("talker")
                .label(RuntimeLabels.POD_UID, uid)
                .label(RuntimeLabels.POD_NAMESPACE, "default")
                .label(RuntimeLabels.POD_NAME, "talker-" + suffix)
                .label("io.petlet.agent", agent)
                .build();
        String sandboxId = runtime.runPodSandbox(sandboxConfig);
        try {
            // Writes "one" now and "two" two seconds later: the second line arrives while the response is open.
            String containerId = runtime.createContainer(
                    sandboxId,
                    ContainerConfig.builder("app", ImageSpec.of("localhost/busybox:latest"))
                            .command("sh", "-c", "echo one; sleep 2; echo two; sleep 300")
                            .label(RuntimeLabels.POD_UID, uid)
                            .label("io.petlet.agent", agent)
                            .build(),
                    sandboxConfig);
            runtime.startContainer(containerId);
            desiredPods.add(new PodBuilder()
                    .withNewMetadata()
                    .withNamespace("default")
                    .withName("talker-" + suffix)
                    .withUid(uid)
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("app")
                    .endContainer()
                    .endSpec()
                    .build());
            CertificateFiles admin = issue("logs-admin", "e2e-admin-" + suffix, List.of("system:masters"));
            HttpClient client = client(Optional.of(admin));
            try {
                HttpResponse<InputStream> response = client.send(
                        request("/containerLogs/default/talker-" + suffix + "/app?follow=true&timestamps=true")
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("transfer-encoding")).contains("chunked");
                BufferedReader lines =
                        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
                assertThat(lines.readLine()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z one");

                assertThat(lines.readLine()).endsWith("Z two");
                response.body().close();

                HttpResponse<String> tail = client.send(
                        request("/containerLogs/default/talker-" + suffix + "/app?tailLines=1")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(tail.body()).isEqualTo("two\n");
                assertThat(client.send(
                                        request("/containerLogs/default/talker-" + suffix + "/app?previous=true")
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body())
                        .isEqualTo(
                                "previous terminated container \"app\" in pod \"talker-" + suffix + "\" not found\n");
            } finally {
                client.shutdownNow();
            }
        } finally {
            runtime.stopPodSandbox(sandboxId);
            runtime.removePodSandbox(sandboxId);
        }
    }
}

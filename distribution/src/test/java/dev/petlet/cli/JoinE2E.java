package dev.petlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.cert.CertificateStore;
import dev.petlet.core.cert.KeyedCertificate;
import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Poll;
import dev.petlet.testing.SandboxE2E;
import dev.petlet.testing.TestCluster;
import dev.petlet.testing.TestPorts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.File;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code petlet join} then {@code petlet run} as processes on a fresh state directory, against the test sandbox,
 * as a second node: it joins with only server, token and CA hash, goes Ready, and rotates both certificates while
 * {@code kubectl logs -f} streams from it. Each way joining can fail ends at once with one line that says what to
 * fix and leaves no state behind.
 */
@SandboxE2E
class JoinE2E {
    private static final String NODE = TestPorts.suffixed("e2e-joined");
    private static final int KUBELET_PORT = TestPorts.shift(31250);
    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
    private static final String SERVING_SIGNER = "kubernetes.io/kubelet-serving";

    @TempDir
    Path temporary;

    @Test
    void aFreshMachineJoinsGoesReadyAndRotatesItsCertificatesWhileLogsStream(TestCluster cluster) throws Exception {
        Path state = temporary.resolve("state");
        List<String> arguments = new java.util.ArrayList<>(JoinedNode.tokenArguments(cluster));
        arguments.addAll(List.of(
                "--node-name=" + NODE,
                "--state-dir=" + state,
                "--kubelet-port=" + KUBELET_PORT,
                "--certificate-lifetime=10m"));
        CommandResult joined = JoinedNode.join(JOIN_TIMEOUT, arguments.toArray(String[]::new));
        assertThat(joined.exitCode()).as(joined.output()).isZero();
        assertThat(joined.stdout())
                .contains("node " + NODE + " joined", "petlet run --config " + state.resolve("petlet.yaml"));
        assertThat(Files.isSymbolicLink(state.resolve("pki/kubelet-client-current.pem")))
                .isTrue();
        assertThat(Files.getPosixFilePermissions(state.resolve("pki/kubelet-client-current.pem"))
                        .toString())
                .isEqualTo("[OWNER_READ, OWNER_WRITE]");
        assertThat(Files.readString(state.resolve("petlet.yaml"))).contains("rotateCertificates: true");

        // The client CSR was approved by the csrapproving controller, requested with the bootstrap token.
        CommandResult csrs = cluster.kubectl().run("get", "csr");
        String clientCsr = clientCsrOf(cluster, NODE).getMetadata().getName();
        assertThat(csrs.stdout())
                .containsPattern(clientCsr + "\\s.*kubernetes.io/kube-apiserver-client-kubelet\\s+system:bootstrap:"
                        + cluster.sandbox().bootstrapToken().id() + ".*Approved,Issued");

        // Keep the shared sandbox's pods off this node: only the pod below, bound by name, runs here.
        Files.writeString(
                state.resolve("petlet.yaml"),
                "taints: [\"petlet.dev/e2e-joined:NoSchedule\"]\n",
                StandardOpenOption.APPEND);
        try (JoinedNode node = new JoinedNode(state)) {
            // Renew at 42 % of the lifetime: the signer backdates 5 of the 15 minutes, so about 80 s after issue.
            node.run("--certificate-lifetime=10m", "--certificate-renewal-fraction=0.42");
            try {
                Poll.untilTrue(JOIN_TIMEOUT, "node " + NODE + " to be Ready", () -> {
                    assertThat(node.running()).as(node.runOutput()).isTrue();
                    return ready(cluster, NODE);
                });
                // Serving certificates are never approved by Kubernetes: the administrator (this test) does it.
                Thread approver = Thread.ofVirtual().start(() -> approveServingRequests(cluster, NODE));
                try {
                    streamWhileRotating(cluster, node, state);
                } finally {
                    approver.interrupt();
                }
            } finally {
                cluster.client()
                        .pods()
                        .inNamespace("default")
                        .withName(NODE + "-logs")
                        .delete();
                Poll.untilTrue(
                        Duration.ofSeconds(60),
                        "the pod on " + NODE + " to be gone",
                        () -> cluster.client()
                                        .pods()
                                        .inNamespace("default")
                                        .withName(NODE + "-logs")
                                        .get()
                                == null);
            }
        } finally {
            cluster.client().nodes().withName(NODE).delete();
        }
    }

    private static void streamWhileRotating(TestCluster cluster, JoinedNode node, Path state) throws Exception {
        Path pki = state.resolve("pki");
        KeyedCertificate firstServing = Poll.until(
                JOIN_TIMEOUT,
                "an issued serving certificate in use on port " + KUBELET_PORT,
                () -> issuedServing(pki)
                        .filter(c ->
                                servedCertificate().filter(c.leaf()::equals).isPresent()));
        cluster.client()
                .pods()
                .inNamespace("default")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(NODE + "-logs")
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName(NODE)
                        .withTerminationGracePeriodSeconds(1L)
                        .addNewToleration()
                        .withOperator("Exists")
                        .endToleration()
                        .addNewContainer()
                        .withName("app")
                        .withImage("localhost/busybox:latest")
                        .withImagePullPolicy("IfNotPresent")
                        .withCommand("sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        Poll.untilTrue(Duration.ofSeconds(90), "the pod on " + NODE + " to run", () -> {
            var pod = cluster.client()
                    .pods()
                    .inNamespace("default")
                    .withName(NODE + "-logs")
                    .get();
            return pod != null
                    && pod.getStatus() != null
                    && "Running".equals(pod.getStatus().getPhase());
        });
        KeyedCertificate firstClient =
                CertificateStore.read(pki.resolve("kubelet-client-current.pem")).orElseThrow();
        Path logs = Files.createTempFile("kubectl-logs-", ".log");
        Process follow = new ProcessBuilder(
                        "kubectl",
                        "--kubeconfig=" + cluster.kubeconfig(),
                        "logs",
                        "-f",
                        "-n",
                        "default",
                        NODE + "-logs")
                .redirectErrorStream(true)
                .redirectOutput(logs.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            Poll.untilTrue(Duration.ofSeconds(30), "kubectl logs -f to stream", () -> lines(logs) > 3);
            Poll.untilTrue(Duration.ofMinutes(4), "the client certificate to rotate", () -> {
                assertThat(node.running()).as(node.runOutput()).isTrue();
                return !currentLeaf(pki.resolve("kubelet-client-current.pem")).equals(firstClient.leaf());
            });
            Instant clientRotated = Instant.now();
            Poll.untilTrue(Duration.ofMinutes(4), "the kubelet API to serve a renewed serving certificate", () -> {
                Optional<X509Certificate> served = servedCertificate();
                return served.isPresent()
                        && !served.get().equals(firstServing.leaf())
                        && !served.get()
                                .getIssuerX500Principal()
                                .equals(served.get().getSubjectX500Principal());
            });
            // The node keeps acting with its renewed client certificate (connections with the old one were closed).
            Poll.untilTrue(Duration.ofSeconds(60), "the node's lease to be renewed after the rotation", () -> {
                Lease lease = cluster.client()
                        .leases()
                        .inNamespace("kube-node-lease")
                        .withName(NODE)
                        .get();
                return lease != null
                        && lease.getSpec().getRenewTime().toInstant().isAfter(clientRotated);
            });
            // And the stream opened before both rotations still carries new lines.
            int before = lines(logs);
            Poll.untilTrue(Duration.ofSeconds(30), "kubectl logs -f to keep streaming", () -> lines(logs) > before + 5);
            assertThat(follow.isAlive()).as(Files.readString(logs)).isTrue();
            assertThat(ready(cluster, NODE)).isTrue();
        } finally {
            follow.destroy();
        }
    }

    @Test
    void aWrongCaHashIsRefusedAndNothingIsWritten(TestCluster cluster) throws Exception {
        Path state = temporary.resolve("wrong-hash");
        CommandResult result = JoinedNode.join(
                JOIN_TIMEOUT,
                "--server=" + cluster.sandbox().server(),
                "--token=" + cluster.sandbox().bootstrapToken().value(),
                "--discovery-token-ca-cert-hash=sha256:" + "0".repeat(64),
                "--node-name=" + NODE + "-x",
                "--state-dir=" + state);
        assertFailsWithOneLine(result, "--discovery-token-ca-cert-hash", state);
        assertThat(lastLine(result)).contains(JoinedNode.caHash(cluster));
    }

    @Test
    void anUnreachableServerIsReportedAtOnce() throws Exception {
        Path state = temporary.resolve("unreachable");
        Instant start = Instant.now();
        CommandResult result = JoinedNode.join(
                JOIN_TIMEOUT,
                "--server=https://127.0.0.1:" + TestPorts.shift(1),
                "--token=abcdef.0123456789abcdef",
                "--discovery-token-ca-cert-hash=sha256:" + "0".repeat(64),
                "--state-dir=" + state);
        assertFailsWithOneLine(result, "cannot reach the API server", state);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aDeletedOrExpiredTokenIsReported(TestCluster cluster) throws Exception {
        // Deleted (or never created): the bootstrap signer signs cluster-info only for live tokens.
        Path state = temporary.resolve("deleted-token");
        CommandResult deleted = JoinedNode.join(
                JOIN_TIMEOUT,
                "--server=" + cluster.sandbox().server(),
                "--token=zzzzzz.0123456789abcdef",
                "--discovery-token-ca-cert-hash=" + JoinedNode.caHash(cluster),
                "--timeout=5s",
                "--state-dir=" + state);
        assertFailsWithOneLine(deleted, "create a new one", state);
        // Expired: a token whose expiration has passed is neither signed for nor accepted.
        cluster.client()
                .secrets()
                .inNamespace("kube-system")
                .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName("bootstrap-token-expird")
                        .withNamespace("kube-system")
                        .endMetadata()
                        .withType("bootstrap.kubernetes.io/token")
                        .withStringData(java.util.Map.of(
                                "token-id", "expird",
                                "token-secret", "0123456789abcdef",
                                "expiration", "2020-01-01T00:00:00Z",
                                "usage-bootstrap-authentication", "true",
                                "usage-bootstrap-signing", "true"))
                        .build())
                .createOr(existing -> existing.update());
        CommandResult expired = JoinedNode.join(
                JOIN_TIMEOUT,
                "--server=" + cluster.sandbox().server(),
                "--token=expird.0123456789abcdef",
                "--discovery-token-ca-cert-hash=" + JoinedNode.caHash(cluster),
                "--timeout=5s",
                "--state-dir=" + state);
        assertFailsWithOneLine(expired, "expired", state);
    }

    @Test
    void aDeniedCertificateRequestIsReported(TestCluster cluster) throws Exception {
        // A requester that may create CSRs but is not bound to auto-approval: a service account with
        // system:node-bootstrapper, joining with --bootstrap-kubeconfig. The administrator denies its CSR.
        String namespace = "default";
        String account = TestPorts.suffixed("e2e-join-denied");
        var kubectl = cluster.kubectl();
        kubectl.run("create", "serviceaccount", account, "-n", namespace);
        kubectl.run(
                "create",
                "clusterrolebinding",
                account,
                "--clusterrole=system:node-bootstrapper",
                "--serviceaccount=" + namespace + ":" + account);
        try {
            String token = kubectl.run("create", "token", account, "-n", namespace, "--duration=1h")
                    .stdout()
                    .trim();
            Path bootstrap = temporary.resolve("sa.kubeconfig");
            Files.writeString(
                    bootstrap,
                    dev.petlet.core.join.KubeconfigFile.renderWithToken(
                            cluster.sandbox().server().toString(),
                            Files.readString(cluster.sandbox().pki().caCertificate()),
                            account,
                            token));
            Path state = temporary.resolve("denied");
            String node = NODE + "-denied";
            // Denies the account's pending requests once they waited 7 s (long enough for petlet to say how to
            // approve them). Earlier runs' requests on a reused sandbox are denied as well, which is harmless.
            String requester = "system:serviceaccount:" + namespace + ":" + account;
            Thread denier = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        for (CertificateSigningRequest csr : cluster.client()
                                .certificates()
                                .v1()
                                .certificateSigningRequests()
                                .list()
                                .getItems()) {
                            if (pending(csr)
                                    && requester.equals(csr.getSpec().getUsername())
                                    && Instant.parse(csr.getMetadata().getCreationTimestamp())
                                            .plusSeconds(7)
                                            .isBefore(Instant.now())) {
                                kubectl.run(
                                        "certificate", "deny", csr.getMetadata().getName());
                            }
                        }
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // the API may be busy; try again
                    }
                }
            });
            CommandResult result = JoinedNode.join(
                    JOIN_TIMEOUT, "--bootstrap-kubeconfig=" + bootstrap, "--node-name=" + node, "--state-dir=" + state);
            denier.interrupt();
            assertThat(result.output()).contains("kubectl certificate approve csr-");
            assertFailsWithOneLine(result, "was denied", state);
        } finally {
            kubectl.run("delete", "clusterrolebinding", account);
            kubectl.run("delete", "serviceaccount", account, "-n", namespace);
        }
    }

    private static void assertFailsWithOneLine(CommandResult result, String advice, Path state) {
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(lastLine(result)).as(result.output()).startsWith("petlet: ").contains(advice);
        assertThat(result.stderr()).as("no stack trace").doesNotContain("\tat ", "Exception");
        assertThat(state).as("nothing half-written").doesNotExist();
    }

    private static String lastLine(CommandResult result) {
        String[] lines = result.stderr().strip().split("\n");
        return lines[lines.length - 1];
    }

    private static boolean ready(TestCluster cluster, String name) {
        Node node = cluster.client().nodes().withName(name).get();
        return node != null
                && node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static CertificateSigningRequest clientCsrOf(TestCluster cluster, String node) {
        return cluster.client().certificates().v1().certificateSigningRequests().list().getItems().stream()
                .filter(c -> "kubernetes.io/kube-apiserver-client-kubelet"
                        .equals(c.getSpec().getSignerName()))
                .filter(c -> commonName(c).equals("system:node:" + node))
                .max(java.util.Comparator.comparing(c -> c.getMetadata().getCreationTimestamp()))
                .orElseThrow(() -> new AssertionError("no client CSR for node " + node));
    }

    private static String commonName(CertificateSigningRequest csr) {
        try (var parser = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(
                new String(java.util.Base64.getDecoder().decode(csr.getSpec().getRequest()))))) {
            var request = (org.bouncycastle.pkcs.PKCS10CertificationRequest) parser.readObject();
            return org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(request.getSubject()
                    .getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN)[0]
                    .getFirst()
                    .getValue());
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Approves the node's pending serving CSRs until interrupted, as an administrator would. */
    private static void approveServingRequests(TestCluster cluster, String node) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (CertificateSigningRequest csr : cluster.client()
                        .certificates()
                        .v1()
                        .certificateSigningRequests()
                        .list()
                        .getItems()) {
                    if (pending(csr)
                            && SERVING_SIGNER.equals(csr.getSpec().getSignerName())
                            && ("system:node:" + node).equals(csr.getSpec().getUsername())) {
                        cluster.kubectl()
                                .run("certificate", "approve", csr.getMetadata().getName());
                    }
                }
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the API may be busy; try again
            }
        }
    }

    private static boolean pending(CertificateSigningRequest csr) {
        return csr.getStatus() == null
                || csr.getStatus().getConditions() == null
                || csr.getStatus().getConditions().isEmpty();
    }

    private static Optional<KeyedCertificate> issuedServing(Path pki) {
        try {
            return CertificateStore.read(pki.resolve("kubelet-server-current.pem"))
                    .filter(c -> !c.selfSigned());
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static X509Certificate currentLeaf(Path file) {
        try {
            return CertificateStore.read(file).orElseThrow().leaf();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int lines(Path file) {
        try {
            return (int) Files.readString(file)
                    .lines()
                    .filter(l -> l.startsWith("tick "))
                    .count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** The certificate the kubelet API presents to a new connection; empty while it does not listen. */
    private static Optional<X509Certificate> servedCertificate() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", KUBELET_PORT)) {
                socket.startHandshake();
                return Optional.of((X509Certificate) socket.getSession().getPeerCertificates()[0]);
            }
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError("cannot set up TLS: " + e, e);
        }
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

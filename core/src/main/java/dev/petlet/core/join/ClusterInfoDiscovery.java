package dev.petlet.core.join;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * kubeadm's token discovery: reads {@code kube-public/cluster-info} without verifying the server (the CA is what
 * we are about to learn), then trusts the CA in it only if the CA's public key hash matches the pin and the
 * kubeconfig carries a valid JWS signature made with the bootstrap token.
 */
public final class ClusterInfoDiscovery {
    static final String PATH = "/api/v1/namespaces/kube-public/configmaps/cluster-info";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY = Duration.ofSeconds(1);

    private ClusterInfoDiscovery() {}

    /** The verified cluster: its server URL (from cluster-info, as kubeadm uses it) and CA bundle. */
    public record Cluster(String server, String caCertificatePem) {}

    /**
     * Discovers and verifies the cluster; waits until {@code deadline} for the signature of a new token to appear
     * (the bootstrap signer adds it within seconds).
     *
     * @param server {@code https://host:port}
     * @param caHash the pin, normalized by {@link CaCertificateHash#parse}
     */
    public static Cluster discover(String server, BootstrapTokenString token, String caHash, Instant deadline)
            throws JoinException, InterruptedException {
        requireNonNull(token, "token");
        requireNonNull(caHash, "caHash");
        URI uri = clusterInfoUri(server);
        HttpClient http = insecureClient();
        while (true) {
            JsonNode data = fetch(http, uri, server);
            String kubeconfig = data.path("kubeconfig").asText("");
            if (kubeconfig.isEmpty()) {
                throw new JoinException("kube-public/cluster-info at " + server + " has no kubeconfig: the cluster is "
                        + "not set up for joining with a token; join with --bootstrap-kubeconfig instead");
            }
            JsonNode signature = data.get("jws-kubeconfig-" + token.id());
            if (signature == null) {
                if (Instant.now().plus(RETRY).isAfter(deadline)) {
                    throw new JoinException("kube-public/cluster-info carries no signature for token " + token.id()
                            + ": the token does not exist, has expired or may not sign (usage-bootstrap-signing); "
                            + "create a new one with `kubeadm token create` and join again");
                }
                Thread.sleep(RETRY.toMillis());
                continue;
            }
            if (!DetachedJws.verify(signature.asText(), kubeconfig, token)) {
                throw new JoinException("the signature of kube-public/cluster-info does not match token " + token.id()
                        + ": the token's secret is wrong; check --token");
            }
            return verify(kubeconfig, caHash, server);
        }
    }

    /** Checks the CA of a signed cluster-info kubeconfig against the pin. */
    static Cluster verify(String kubeconfig, String caHash, String server) throws JoinException {
        KubeconfigFile parsed;
        List<X509Certificate> cas;
        try {
            parsed = KubeconfigFile.parse(kubeconfig, "kube-public/cluster-info", Path.of("."));
            cas = dev.petlet.core.cert.PemText.certificates(parsed.caCertificatePem());
        } catch (IOException | java.security.cert.CertificateException e) {
            throw new JoinException(
                    "kube-public/cluster-info at " + server + " holds no readable CA: " + e.getMessage(), e);
        }
        if (cas.isEmpty()) {
            throw new JoinException("kube-public/cluster-info at " + server + " holds no CA certificate");
        }
        if (!CaCertificateHash.matchesAny(cas, caHash)) {
            throw new JoinException("the cluster CA's public key hash is " + CaCertificateHash.of(cas.get(0))
                    + ", not " + caHash + " as given with --discovery-token-ca-cert-hash: check the hash (on the "
                    + "control plane, `kubeadm token create --print-join-command` prints it); if it is right, you "
                    + "are not talking to the cluster you meant");
        }
        return new Cluster(parsed.server(), parsed.caCertificatePem());
    }

    private static JsonNode fetch(HttpClient http, URI uri, String server) throws JoinException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new JoinException("cannot reach the API server at " + server + " (connect timed out): check "
                    + "--server and that this machine can reach it");
        } catch (ConnectException e) {
            throw new JoinException("cannot reach the API server at " + server + " (connection refused): check "
                    + "--server and that the API server runs");
        } catch (IOException e) {
            throw new JoinException("cannot reach the API server at " + server + " (" + e + "): check --server");
        }
        return switch (response.statusCode()) {
            case 200 -> {
                try {
                    yield JSON.readTree(response.body()).path("data");
                } catch (IOException e) {
                    throw new JoinException(server + " did not answer with a ConfigMap for kube-public/cluster-info: "
                            + "check that --server is the Kubernetes API server");
                }
            }
            case 401, 403 ->
                throw new JoinException("the API server at " + server + " does not let anonymous "
                        + "clients read kube-public/cluster-info (HTTP " + response.statusCode() + "): allow it (see "
                        + "docs/joining.md) or join with --bootstrap-kubeconfig");
            case 404 ->
                throw new JoinException("the API server at " + server + " has no kube-public/cluster-info: "
                        + "create it (see docs/joining.md) or join with --bootstrap-kubeconfig");
            default ->
                throw new JoinException("the API server at " + server + " answered HTTP " + response.statusCode()
                        + " for kube-public/cluster-info: check --server");
        };
    }

    static URI clusterInfoUri(String server) throws JoinException {
        URI base;
        try {
            base = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        } catch (IllegalArgumentException e) {
            throw new JoinException("--server: '" + server + "' is not a URL; give https://HOST:PORT");
        }
        if (!"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new JoinException("--server: '" + server + "' is not an https URL; give https://HOST:PORT");
        }
        return URI.create(base + PATH);
    }

    /** Trusts any server: safe only because nothing from the answer is trusted before it is verified. */
    private static HttpClient insecureClient() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAnything()}, new SecureRandom());
            SSLParameters parameters = new SSLParameters();
            parameters.setEndpointIdentificationAlgorithm(null);
            return HttpClient.newBuilder()
                    .sslContext(context)
                    .sslParameters(parameters)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }

    /** Extended, so the JDK does not add its own host name check around it. */
    private static final class TrustAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

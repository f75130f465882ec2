package dev.petlet.core.cert;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import okhttp3.OkHttpClient;

/**
 * A Kubernetes client authenticated by a client certificate that can be renewed while it runs: TLS handshakes
 * take the certificate from a {@link RotatingKeyManager}, and {@link #use} closes the connections made with the
 * previous one, so every request after a renewal authenticates with the new certificate.
 */
public final class RotatingClient implements AutoCloseable {
    private final KubernetesClient client;
    private final RotatingKeyManager keyManager;
    private final ConnectionTracker connections;

    private RotatingClient(KubernetesClient client, RotatingKeyManager keyManager, ConnectionTracker connections) {
        this.client = client;
        this.keyManager = keyManager;
        this.connections = connections;
    }

    /**
     * A client of the API server at {@code server}, trusting {@code caCertificatePem}, authenticated by {@code
     * certificate}.
     */
    public static RotatingClient create(String server, String caCertificatePem, KeyedCertificate certificate) {
        requireNonNull(server, "server");
        requireNonNull(caCertificatePem, "caCertificatePem");
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(server)
                .withCaCertData(
                        Base64.getEncoder().encodeToString(caCertificatePem.getBytes(StandardCharsets.US_ASCII)))
                .build();
        TrustManager[] trust;
        try {
            trust = SSLUtils.trustManagers(config);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot trust the cluster CA: " + e.getMessage(), e);
        }
        RotatingKeyManager keyManager = new RotatingKeyManager(certificate);
        ConnectionTracker connections = new ConnectionTracker();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new AgentHttpClientFactory() {
                    @Override
                    protected OkHttpClient.Builder newOkHttpClientBuilder() {
                        return super.newOkHttpClientBuilder().addNetworkInterceptor(connections);
                    }
                })
                .withHttpClientBuilderConsumer(builder -> builder.sslContext(new KeyManager[] {keyManager}, trust))
                .build();
        return new RotatingClient(client, keyManager, connections);
    }

    public KubernetesClient client() {
        return client;
    }

    public KeyedCertificate certificate() {
        return keyManager.current();
    }

    /**
     * Switches to a renewed certificate: new handshakes present it, and the connections made with the old one
     * are closed (requests in flight on them fail and are retried; watches reconnect).
     */
    public void use(KeyedCertificate renewed) {
        keyManager.set(renewed);
        connections.closeAll();
    }

    @Override
    public void close() {
        client.close();
    }
}

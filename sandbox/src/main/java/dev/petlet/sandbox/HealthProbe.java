package dev.petlet.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** One HTTPS health endpoint of a component, asked with the sandbox's credentials. */
final class HealthProbe {
    private final String name;
    private final URI uri;
    private final SSLContext tls;
    private final boolean verifyHost;

    private HealthProbe(String name, URI uri, SSLContext tls, boolean verifyHost) {
        this.name = name;
        this.uri = uri;
        this.tls = tls;
        this.verifyHost = verifyHost;
    }

    /** Verifies the server against the CA and presents a client certificate. */
    static HealthProbe authenticated(
            String name, URI uri, X509Certificate ca, X509Certificate certificate, PrivateKey key) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, new char[0], new Certificate[] {certificate});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return new HealthProbe(name, uri, context, true);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build TLS context for " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * For the controller-manager's and scheduler's loopback health ports, which serve a
     * certificate they generate themselves and allow {@code /healthz} without credentials.
     */
    static HealthProbe loopbackSelfSigned(String name, int port) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAnyServer()}, null);
            return new HealthProbe(name, URI.create("https://127.0.0.1:" + port + "/healthz"), context, false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String name() {
        return name;
    }

    /** Empty when healthy; otherwise what the endpoint said (or why it could not be asked). */
    Optional<String> check() {
        try {
            HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
            connection.setSSLSocketFactory(tls.getSocketFactory());
            if (!verifyHost) {
                connection.setHostnameVerifier((host, session) -> true);
            }
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(5000);
            int status = connection.getResponseCode();
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                String text = body == null ? "" : new String(body.readNBytes(4096)).trim();
                return status == HttpURLConnection.HTTP_OK ? Optional.empty() : Optional.of(status + " " + text);
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static final class AcceptAnyServer implements X509TrustManager {
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

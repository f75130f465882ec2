package dev.petlet.testing;

import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.sandbox.pki.Pem;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS for tests that talk HTTPS to the sandbox's components directly, as a cluster client would. */
public final class ClusterTls {
    private ClusterTls() {}

    /** Trusts the cluster CA and presents the client certificate, if one is given. */
    public static SSLContext context(TestCluster cluster, Optional<CertificateFiles> certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(
                "ca", Pem.readCertificate(cluster.sandbox().pki().caCertificate()));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (certificate.isPresent()) {
            keys.setKeyEntry("client", Pem.readPrivateKey(certificate.get().key()), new char[0], new X509Certificate[] {
                Pem.readCertificate(certificate.get().certificate())
            });
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}

package dev.petlet.core.cert;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client key manager whose certificate can be swapped while connections are made with it: every new TLS
 * handshake presents the pair set last. This is how a running Kubernetes client switches to a renewed node
 * certificate without being rebuilt.
 */
public final class RotatingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "current";
    private final AtomicReference<KeyedCertificate> current;

    public RotatingKeyManager(KeyedCertificate initial) {
        this.current = new AtomicReference<>(requireNonNull(initial, "initial"));
    }

    /** Makes new handshakes present this pair. */
    public void set(KeyedCertificate pair) {
        current.set(requireNonNull(pair, "pair"));
    }

    public KeyedCertificate current() {
        return current.get();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? current.get().chain().toArray(X509Certificate[]::new) : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? current.get().key() : null;
    }
}

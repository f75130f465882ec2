package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS: the serving certificate and key, and the client CA that verifies client certificates
 * (requested, not required: a client may authenticate with a bearer token instead). {@link #reloadIfChanged()}
 * picks up files rewritten on disk, such as a rotated serving certificate; new connections use them, open ones
 * keep theirs. A change that does not load (a half-written pair) keeps the previous context.
 *
 * <p>TLS runs in BoringSSL when Netty's build of it loads (Linux on x86_64 and aarch64): the agent's JVM
 * runs C1 alone (bin/petlet), and the JDK's AES-GCM without C2's intrinsics moves ~20 MiB/s, BoringSSL's
 * some 3 GiB/s. Elsewhere the JDK's TLS serves, and the start says so.
 */
final class ServingTls {
    private static final Logger log = LoggerFactory.getLogger(ServingTls.class);

    private final Path certificate;
    private final Path key;
    private final Path clientCa;
    private final AtomicReference<Loaded> loaded = new AtomicReference<>();

    ServingTls(Path certificate, Path key, Path clientCa) throws IOException {
        this.certificate = requireNonNull(certificate, "certificate");
        this.key = requireNonNull(key, "key");
        this.clientCa = requireNonNull(clientCa, "clientCa");
        loaded.set(load());
        if (provider() == SslProvider.OPENSSL) {
            log.debug("kubelet API TLS: {}", OpenSsl.versionString());
        } else {
            log.warn(
                    "kubelet API TLS: BoringSSL does not load here ({}), the JDK's TLS serves instead",
                    String.valueOf(OpenSsl.unavailabilityCause()));
        }
    }

    /** BoringSSL when it loads, else the JDK. */
    static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** The context for a new connection. */
    SslContext context() {
        return loaded.get().context();
    }

    /** Reloads the files if any of them changed since they were loaded; returns whether it did. */
    boolean reloadIfChanged() {
        List<FileTime> stamps;
        try {
            stamps = stamps();
        } catch (IOException e) {
            log.warn("cannot check the kubelet API's TLS files, keeping the loaded ones: {}", e.getMessage());
            return false;
        }
        if (stamps.equals(loaded.get().stamps())) {
            return false;
        }
        try {
            loaded.set(load());
            log.info("reloaded the kubelet API's serving certificate {} and client CA {}", certificate, clientCa);
            return true;
        } catch (IOException e) {
            log.warn("cannot reload the kubelet API's TLS files, keeping the loaded ones: {}", e.getMessage());
            return false;
        }
    }

    private Loaded load() throws IOException {
        List<FileTime> stamps = stamps();
        List<X509Certificate> chain = PemFiles.certificates(certificate);
        PrivateKey privateKey = PemFiles.privateKey(key);
        List<X509Certificate> authorities = PemFiles.certificates(clientCa);
        try {
            SslContext context = SslContextBuilder.forServer(privateKey, chain)
                    .sslProvider(provider())
                    .trustManager(authorities)
                    .clientAuth(ClientAuth.OPTIONAL)
                    // HTTP/1.1 only: upgrades (SPDY, WebSocket) need it, and Go clients fall back from h2.
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
            return new Loaded(context, stamps);
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    "cannot use " + certificate + " with " + key + " and client CA " + clientCa + ": " + e.getMessage(),
                    e);
        }
    }

    private List<FileTime> stamps() throws IOException {
        return List.of(
                Files.getLastModifiedTime(certificate),
                Files.getLastModifiedTime(key),
                Files.getLastModifiedTime(clientCa));
    }

    private record Loaded(SslContext context, List<FileTime> stamps) {}
}

package dev.petlet.sandbox.pki;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates and keys of a sandbox control plane, in one directory laid out like kubeadm's
 * {@code /etc/kubernetes/pki} (flat, {@code name.crt} and {@code name.key}).
 *
 * <p>{@link #ensure} keeps what is still good and regenerates the rest: a file that is missing or
 * does not parse, a key that does not belong to its certificate, a certificate not signed by the
 * current CA, one whose subject, key usages or (apiserver) SANs differ from what {@link PkiSpec}
 * asks for, and one that expired or has less than a tenth of its lifetime left. A regenerated CA
 * therefore replaces every certificate it signed. The service-account key pair has no expiry and
 * is only replaced when missing, unreadable or mismatched, because replacing it invalidates every
 * issued token. When everything is in place no key is generated and no file is written.
 *
 * <p>Keys are ECDSA P-256 except the RSA 2048 service-account key. The directory is 0700, private
 * keys 0600 (from the moment they exist), certificates 0644. One process at a time may use a
 * directory (the sandbox's state-directory lock provides this); within the process {@link #issue}
 * is thread-safe.
 */
public final class ClusterPki {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterPki.class);

    static final String CLUSTER_CA = "ca";
    static final String FRONT_PROXY_CA = "front-proxy-ca";
    static final String APISERVER = "apiserver";
    static final String APISERVER_KUBELET_CLIENT = "apiserver-kubelet-client";
    static final String FRONT_PROXY_CLIENT = "front-proxy-client";
    static final String ADMIN = "admin";
    static final String CONTROLLER_MANAGER = "controller-manager";
    static final String SCHEDULER = "scheduler";
    static final String SERVICE_ACCOUNT = "sa";

    static final String CLUSTER_CA_NAME = "petlet-sandbox-ca";
    static final String FRONT_PROXY_CA_NAME = "petlet-sandbox-front-proxy-ca";

    /** Names the apiserver must answer to inside the cluster, whatever the spec says. */
    static final List<String> KUBERNETES_SERVICE_NAMES = List.of(
            "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

    private static final Set<String> RESERVED_NAMES = Set.of(
            CLUSTER_CA,
            FRONT_PROXY_CA,
            APISERVER,
            APISERVER_KUBELET_CLIENT,
            FRONT_PROXY_CLIENT,
            ADMIN,
            CONTROLLER_MANAGER,
            SCHEDULER,
            SERVICE_ACCOUNT);
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final PkiSpec spec;
    private final Clock clock;
    private final CertificateAuthority clusterAuthority;

    private ClusterPki(Path dir, PkiSpec spec, Clock clock, CertificateAuthority clusterAuthority) {
        this.dir = dir;
        this.spec = spec;
        this.clock = clock;
        this.clusterAuthority = clusterAuthority;
    }

    /** A certificate the control plane needs, and which of the two CAs signs it. */
    record ComponentCertificate(String name, CertificateTemplate template, boolean signedByFrontProxyAuthority) {}

    /**
     * Loads the PKI in {@code dir}, creating the directory and generating whatever is missing or
     * no longer good (see the class comment). Idempotent: a second call with the same spec writes
     * nothing.
     */
    public static ClusterPki ensure(Path dir, PkiSpec spec, Clock clock) throws IOException {
        requireNonNull(dir, "dir");
        requireNonNull(spec, "spec");
        requireNonNull(clock, "clock");
        createPrivateDirectory(dir);
        Instant now = clock.instant();
        CertificateAuthority clusterAuthority =
                ensureAuthority(CertificateFiles.in(dir, CLUSTER_CA), CLUSTER_CA_NAME, spec.caValidity(), now);
        CertificateAuthority frontProxyAuthority =
                ensureAuthority(CertificateFiles.in(dir, FRONT_PROXY_CA), FRONT_PROXY_CA_NAME, spec.caValidity(), now);
        ensureServiceAccountKeys(dir);
        for (ComponentCertificate component : componentCertificates(spec)) {
            ensureLeaf(
                    CertificateFiles.in(dir, component.name()),
                    component.template(),
                    component.signedByFrontProxyAuthority() ? frontProxyAuthority : clusterAuthority,
                    spec.leafValidity(),
                    now);
        }
        return new ClusterPki(dir, spec, clock, clusterAuthority);
    }

    /** What the control plane needs besides the two CAs and the service-account keys. */
    static List<ComponentCertificate> componentCertificates(PkiSpec spec) {
        List<String> apiserverDnsNames = List.copyOf(
                new LinkedHashSet<>(Stream.concat(KUBERNETES_SERVICE_NAMES.stream(), spec.apiserverDnsNames().stream())
                        .toList()));
        List<InetAddress> apiserverIpAddresses = List.copyOf(new LinkedHashSet<>(spec.apiserverIpAddresses()));
        return List.of(
                new ComponentCertificate(
                        APISERVER,
                        CertificateTemplate.server("kube-apiserver", apiserverDnsNames, apiserverIpAddresses),
                        false),
                // system:masters lets the apiserver reach any kubelet API without an RBAC binding.
                new ComponentCertificate(
                        APISERVER_KUBELET_CLIENT,
                        CertificateTemplate.client("kube-apiserver-kubelet-client", List.of("system:masters")),
                        false),
                new ComponentCertificate(
                        FRONT_PROXY_CLIENT, CertificateTemplate.client("front-proxy-client", List.of()), true),
                new ComponentCertificate(
                        ADMIN, CertificateTemplate.client("petlet-admin", List.of("system:masters")), false),
                new ComponentCertificate(
                        CONTROLLER_MANAGER,
                        CertificateTemplate.client("system:kube-controller-manager", List.of()),
                        false),
                new ComponentCertificate(
                        SCHEDULER, CertificateTemplate.client("system:kube-scheduler", List.of()), false));
    }

    /**
     * Issues a certificate signed by the cluster CA into {@code fileName.crt} and
     * {@code fileName.key}, or keeps the existing pair when it is still good and says exactly
     * this. Without DNS names and IP addresses it is a client certificate (clientAuth), with them
     * a serving certificate (serverAuth). For a node's client certificate: common name
     * {@code system:node:<name>}, organization {@code system:nodes}.
     *
     * @throws IllegalArgumentException when {@code fileName} is not a plain file name or is one of
     *     the names the control plane's own certificates use
     */
    public synchronized CertificateFiles issue(
            String fileName,
            String commonName,
            List<String> organizations,
            List<String> dnsNames,
            List<InetAddress> ipAddresses)
            throws IOException {
        requireNonNull(fileName, "fileName");
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("certificate file name `" + fileName
                    + "` must be letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (RESERVED_NAMES.contains(fileName)) {
            throw new IllegalArgumentException("certificate file name `" + fileName
                    + "` belongs to the control plane's own certificates; choose another, e.g. `node-" + fileName
                    + "`");
        }
        CertificateTemplate template = new CertificateTemplate(
                commonName,
                organizations,
                dnsNames,
                ipAddresses,
                dnsNames.isEmpty() && ipAddresses.isEmpty() ? CertificateProfile.CLIENT : CertificateProfile.SERVER);
        CertificateFiles files = CertificateFiles.in(dir, fileName);
        ensureLeaf(files, template, clusterAuthority, spec.leafValidity(), clock.instant());
        return files;
    }

    public Path dir() {
        return dir;
    }

    public Path caCertificate() {
        return certificate(CLUSTER_CA);
    }

    public Path caKey() {
        return key(CLUSTER_CA);
    }

    public Path apiserverCertificate() {
        return certificate(APISERVER);
    }

    public Path apiserverKey() {
        return key(APISERVER);
    }

    public Path apiserverKubeletClientCertificate() {
        return certificate(APISERVER_KUBELET_CLIENT);
    }

    public Path apiserverKubeletClientKey() {
        return key(APISERVER_KUBELET_CLIENT);
    }

    public Path frontProxyCaCertificate() {
        return certificate(FRONT_PROXY_CA);
    }

    public Path frontProxyCaKey() {
        return key(FRONT_PROXY_CA);
    }

    public Path frontProxyClientCertificate() {
        return certificate(FRONT_PROXY_CLIENT);
    }

    public Path frontProxyClientKey() {
        return key(FRONT_PROXY_CLIENT);
    }

    /** The RSA private key that signs service-account tokens (PKCS#8 PEM). */
    public Path serviceAccountKey() {
        return dir.resolve(SERVICE_ACCOUNT + ".key");
    }

    /** The public half of {@link #serviceAccountKey()} that verifies tokens (SubjectPublicKeyInfo PEM). */
    public Path serviceAccountPublicKey() {
        return dir.resolve(SERVICE_ACCOUNT + ".pub");
    }

    public Path adminCertificate() {
        return certificate(ADMIN);
    }

    public Path adminKey() {
        return key(ADMIN);
    }

    public Path controllerManagerCertificate() {
        return certificate(CONTROLLER_MANAGER);
    }

    public Path controllerManagerKey() {
        return key(CONTROLLER_MANAGER);
    }

    public Path schedulerCertificate() {
        return certificate(SCHEDULER);
    }

    public Path schedulerKey() {
        return key(SCHEDULER);
    }

    private Path certificate(String name) {
        return CertificateFiles.in(dir, name).certificate();
    }

    private Path key(String name) {
        return CertificateFiles.in(dir, name).key();
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
        }
        // Also when it existed, and because the umask may have narrowed the requested mode.
        if (!Files.getPosixFilePermissions(dir).equals(DIRECTORY_PERMISSIONS)) {
            Files.setPosixFilePermissions(dir, DIRECTORY_PERMISSIONS);
        }
    }

    private static CertificateAuthority ensureAuthority(
            CertificateFiles files, String commonName, Duration validity, Instant now) throws IOException {
        CertificateTemplate template = CertificateTemplate.authority(commonName);
        Optional<KeyedCertificate> stored = KeyedCertificate.read(files);
        Optional<String> reason = CertificateRenewal.reasonToReplaceAuthority(stored, template, now);
        if (reason.isEmpty()) {
            return new CertificateAuthority(stored.orElseThrow());
        }
        KeyedCertificate generated = CertificateAuthority.selfSigned(template, validity, now);
        generated.write(files);
        LOG.info("Generated CA {} in {}: previous one {}", commonName, files.certificate(), reason.get());
        return new CertificateAuthority(generated);
    }

    private static void ensureLeaf(
            CertificateFiles files,
            CertificateTemplate template,
            CertificateAuthority issuer,
            Duration validity,
            Instant now)
            throws IOException {
        Optional<String> reason = CertificateRenewal.reasonToReplaceLeaf(
                KeyedCertificate.read(files), template, issuer.certificate(), now);
        if (reason.isPresent()) {
            issuer.issue(template, validity, now).write(files);
            LOG.info(
                    "Issued certificate {} for {}: previous one {}",
                    files.certificate(),
                    template.subject(),
                    reason.get());
        }
    }

    private static void ensureServiceAccountKeys(Path dir) throws IOException {
        Path privateKeyFile = dir.resolve(SERVICE_ACCOUNT + ".key");
        Path publicKeyFile = dir.resolve(SERVICE_ACCOUNT + ".pub");
        if (Files.exists(privateKeyFile) && Files.exists(publicKeyFile)) {
            Optional<PrivateKey> privateKey = Pem.parsePrivateKey(Pem.readText(privateKeyFile));
            Optional<PublicKey> publicKey = Pem.parsePublicKey(Pem.readText(publicKeyFile));
            if (privateKey.isPresent()
                    && publicKey.isPresent()
                    && KeyPairs.matches(privateKey.get(), publicKey.get())) {
                return;
            }
        }
        KeyPair keyPair = KeyPairs.rsa2048();
        Pem.writePrivateKey(privateKeyFile, keyPair.getPrivate());
        Pem.writePublicKey(publicKeyFile, keyPair.getPublic());
        LOG.info(
                "Generated service-account key pair {}: previous one missing, unreadable or mismatched",
                privateKeyFile);
    }
}

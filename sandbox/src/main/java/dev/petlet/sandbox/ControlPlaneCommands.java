package dev.petlet.sandbox;

import static java.util.Objects.requireNonNull;

import dev.petlet.sandbox.binaries.BinarySet;
import dev.petlet.sandbox.pki.CertificateFiles;
import dev.petlet.sandbox.pki.ClusterPki;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The command lines of the control-plane components and metrics-server: a pure function of binaries, PKI,
 * state directory and ports, so the flags can be read and tested without starting anything.
 */
final class ControlPlaneCommands {
    /** The service CIDR; its first address is the {@code kubernetes} Service's ClusterIP. */
    static final String SERVICE_CIDR = "10.0.0.0/24";

    static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

    /**
     * How often metrics-server scrapes the kubelets: as in its manifests; it must exceed the scrape timeout (10 s by
     * default), which a loaded machine needs.
     */
    static final Duration METRIC_RESOLUTION = Duration.ofSeconds(15);

    private final BinarySet binaries;
    private final ClusterPki pki;
    private final StateDirectory state;
    private final SandboxPorts ports;
    private final InetAddress advertiseAddress;
    private final Duration clusterSigningDuration;

    ControlPlaneCommands(
            BinarySet binaries,
            ClusterPki pki,
            StateDirectory state,
            SandboxPorts ports,
            InetAddress advertiseAddress,
            Duration clusterSigningDuration) {
        this.binaries = requireNonNull(binaries, "binaries");
        this.pki = requireNonNull(pki, "pki");
        this.state = requireNonNull(state, "state");
        this.ports = requireNonNull(ports, "ports");
        this.advertiseAddress = requireNonNull(advertiseAddress, "advertiseAddress");
        this.clusterSigningDuration = requireNonNull(clusterSigningDuration, "clusterSigningDuration");
    }

    String etcdUrl() {
        return "http://127.0.0.1:" + ports.etcdClient();
    }

    /** etcd on loopback only, plain HTTP: nothing but the API server on this machine reaches it. */
    ComponentSpec etcd() {
        String peer = "http://127.0.0.1:" + ports.etcdPeer();
        return new ComponentSpec(
                "etcd",
                List.of(
                        binaries.etcd().toString(),
                        "--name=petlet",
                        "--data-dir=" + state.etcdData(),
                        "--listen-client-urls=" + etcdUrl(),
                        "--advertise-client-urls=" + etcdUrl(),
                        "--listen-peer-urls=" + peer,
                        "--initial-advertise-peer-urls=" + peer,
                        "--initial-cluster=petlet=" + peer,
                        "--initial-cluster-state=new",
                        "--log-level=warn"));
    }

    ComponentSpec kubeApiserver() {
        return new ComponentSpec(
                "kube-apiserver",
                List.of(
                        binaries.kubeApiserver().toString(),
                        "--etcd-servers=" + etcdUrl(),
                        "--secure-port=" + ports.apiserver(),
                        "--advertise-address=" + advertiseAddress.getHostAddress(),
                        "--authentication-config=" + authenticationConfigFile(),
                        "--authorization-mode=Node,RBAC",
                        "--enable-admission-plugins=NodeRestriction",
                        "--enable-bootstrap-token-auth=true",
                        "--allow-privileged=true",
                        "--client-ca-file=" + pki.caCertificate(),
                        "--tls-cert-file=" + pki.apiserverCertificate(),
                        "--tls-private-key-file=" + pki.apiserverKey(),
                        "--kubelet-client-certificate=" + pki.apiserverKubeletClientCertificate(),
                        "--kubelet-client-key=" + pki.apiserverKubeletClientKey(),
                        "--kubelet-certificate-authority=" + pki.caCertificate(),
                        "--kubelet-preferred-address-types=InternalIP,Hostname,ExternalIP",
                        "--service-cluster-ip-range=" + SERVICE_CIDR,
                        "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
                        "--service-account-key-file=" + pki.serviceAccountPublicKey(),
                        "--service-account-signing-key-file=" + pki.serviceAccountKey(),
                        "--requestheader-client-ca-file=" + pki.frontProxyCaCertificate(),
                        "--requestheader-allowed-names=front-proxy-client",
                        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
                        "--requestheader-group-headers=X-Remote-Group",
                        "--requestheader-username-headers=X-Remote-User",
                        "--proxy-client-cert-file=" + pki.frontProxyClientCertificate(),
                        "--proxy-client-key-file=" + pki.frontProxyClientKey(),
                        // No kube-proxy: the aggregator dials an APIService's endpoint, not its ClusterIP.
                        "--enable-aggregator-routing=true",
                        "--profiling=false"));
    }

    /**
     * Anonymous requests are refused except for {@code kube-public/cluster-info}, which a joining node reads
     * before it trusts the cluster (kubeadm's token discovery); nothing else is reachable anonymously, whatever
     * RBAC says.
     */
    static String authenticationConfiguration() {
        return """
                apiVersion: apiserver.config.k8s.io/v1beta1
                kind: AuthenticationConfiguration
                anonymous:
                  enabled: true
                  conditions:
                  - path: /api/v1/namespaces/kube-public/configmaps/cluster-info
                """;
    }

    java.nio.file.Path authenticationConfigFile() {
        return state.root().resolve("authentication-config.yaml");
    }

    ComponentSpec kubeControllerManager() {
        return controller(
                "kube-controller-manager",
                binaries.kubeControllerManager(),
                ports.controllerManager(),
                List.of(
                        "--cluster-name=petlet-sandbox",
                        "--controllers=*,bootstrapsigner,tokencleaner",
                        "--cluster-signing-cert-file=" + pki.caCertificate(),
                        "--cluster-signing-key-file=" + pki.caKey(),
                        "--cluster-signing-duration=" + clusterSigningDuration.toSeconds() + "s",
                        "--root-ca-file=" + pki.caCertificate(),
                        "--service-account-private-key-file=" + pki.serviceAccountKey(),
                        "--use-service-account-credentials=true",
                        "--service-cluster-ip-range=" + SERVICE_CIDR));
    }

    /**
     * metrics-server as a host process on the host's address: its serving certificate for the name the API server
     * checks, its client certificate toward the API server and the kubelets (which it verifies with the cluster
     * CA, at their InternalIP and the port in their status).
     */
    ComponentSpec metricsServer(
            java.nio.file.Path binary,
            CertificateFiles serving,
            CertificateFiles client,
            java.nio.file.Path kubeconfig) {
        return new ComponentSpec(
                MetricsServerAddon.NAME,
                List.of(
                        binary.toString(),
                        "--bind-address=" + advertiseAddress.getHostAddress(),
                        "--secure-port=" + ports.metricsServer(),
                        "--tls-cert-file=" + serving.certificate(),
                        "--tls-private-key-file=" + serving.key(),
                        "--cert-dir=" + state.componentDirectory(MetricsServerAddon.NAME),
                        "--kubeconfig=" + kubeconfig,
                        "--authentication-kubeconfig=" + kubeconfig,
                        "--authorization-kubeconfig=" + kubeconfig,
                        "--kubelet-preferred-address-types=InternalIP",
                        "--kubelet-use-node-status-port",
                        "--kubelet-certificate-authority=" + pki.caCertificate(),
                        "--kubelet-client-certificate=" + client.certificate(),
                        "--kubelet-client-key=" + client.key(),
                        "--metric-resolution=" + METRIC_RESOLUTION.toSeconds() + "s",
                        "--profiling=false"));
    }

    ComponentSpec kubeScheduler() {
        return controller("kube-scheduler", binaries.kubeScheduler(), ports.scheduler(), List.of());
    }

    /**
     * The flags the controller-manager and the scheduler share: their own kubeconfig for the API,
     * delegated authentication and authorization, health port on loopback, a single instance.
     */
    private ComponentSpec controller(String name, java.nio.file.Path binary, int port, List<String> own) {
        String kubeconfig = state.kubeconfig(name).toString();
        List<String> command = new java.util.ArrayList<>(List.of(
                binary.toString(),
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig,
                "--authorization-kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + port,
                "--cert-dir=" + state.componentDirectory(name),
                "--leader-elect=false",
                "--profiling=false"));
        command.addAll(own);
        return new ComponentSpec(name, command);
    }
}

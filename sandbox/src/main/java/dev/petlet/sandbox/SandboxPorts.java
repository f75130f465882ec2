package dev.petlet.sandbox;

/**
 * The TCP ports a sandbox listens on. All but the API server's bind to loopback only.
 *
 * @param apiserver kube-apiserver's secure port
 * @param etcdClient etcd's client port; the peer port is {@code etcdClient + 1}
 * @param controllerManager kube-controller-manager's secure (health) port
 * @param scheduler kube-scheduler's secure (health) port
 * @param control the sandbox's own control port ({@code GET /ready}, {@code POST /stop})
 * @param metricsServer metrics-server's secure port, on the host's address (the API server dials it there)
 */
public record SandboxPorts(
        int apiserver, int etcdClient, int controllerManager, int scheduler, int control, int metricsServer) {

    /** The ports a user's {@code petlet sandbox} takes by default. */
    public static final SandboxPorts DEFAULT = new SandboxPorts(6443, 2379, 10257, 10259, 8989);

    /** metrics-server on the port after the control port. */
    public SandboxPorts(int apiserver, int etcdClient, int controllerManager, int scheduler, int control) {
        this(apiserver, etcdClient, controllerManager, scheduler, control, control + 1);
    }

    public SandboxPorts {
        for (int port : new int[] {apiserver, etcdClient, controllerManager, scheduler, control, metricsServer}) {
            if (port < 1 || port > 65534) {
                throw new IllegalArgumentException("port " + port + " is out of range 1-65534");
            }
        }
    }

    public int etcdPeer() {
        return etcdClient + 1;
    }
}

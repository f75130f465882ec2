package dev.petlet.cli;

import dev.petlet.core.config.HostDefaults;
import dev.petlet.core.join.BootstrapTokenString;
import dev.petlet.core.join.CaCertificateHash;
import dev.petlet.core.join.NodeJoin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code petlet join}: TLS bootstrap of this machine into a cluster; {@code petlet run} then starts the node. */
@Command(
        name = "join",
        mixinStandardHelpOptions = true,
        description = {
            "Join this machine to a Kubernetes cluster: verify the cluster CA (token discovery, as kubeadm join does),"
                    + " obtain the node's client certificate through a CSR, and write the configuration that"
                    + " `petlet run` starts from.",
            "  petlet join --server https://HOST:6443 --token ID.SECRET --discovery-token-ca-cert-hash sha256:HEX",
            "  petlet join --bootstrap-kubeconfig FILE"
        })
final class JoinCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false)
        Token token;

        @Option(
                names = "--bootstrap-kubeconfig",
                required = true,
                description = "A kubeconfig whose credentials may create node CSRs, for clusters without bootstrap"
                        + " tokens; it also gives the server and CA.")
        Path bootstrapKubeconfig;
    }

    static final class Token {
        @Option(names = "--server", required = true, description = "The API server, https://HOST:PORT.")
        String server;

        @Option(names = "--token", required = true, description = "A bootstrap token, ID.SECRET.")
        String token;

        @Option(
                names = "--discovery-token-ca-cert-hash",
                required = true,
                description = "sha256:HEX of the cluster CA's public key: the join refuses any other CA.")
        String caHash;
    }

    @Option(names = "--node-name", description = "The Node's name (default: this machine's host name, lower-cased).")
    String nodeName;

    @Option(
            names = "--state-dir",
            defaultValue = "/var/lib/petlet",
            description = "Where to keep the node's state and credentials (default: ${DEFAULT-VALUE}).")
    Path stateDirectory;

    @Option(names = "--config", description = "The configuration file to write (default: STATE_DIR/petlet.yaml).")
    Path config;

    @Option(names = "--kubelet-port", description = "The kubelet API port to configure (default 10250).")
    Integer kubeletPort;

    @Option(names = "--node-ip", description = "The node's InternalIP to configure (default: detected).")
    String nodeIp;

    @Option(
            names = "--timeout",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "How long discovery and the approval of the client certificate may take (default: "
                    + "${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--certificate-lifetime",
            hidden = true,
            converter = DurationConverter.class,
            description = "For tests: the client certificate lifetime to request (at least 10m).")
    Duration certificateLifetime;

    @Override
    public Integer call() throws Exception {
        NodeJoin.Source from;
        if (source.bootstrapKubeconfig != null) {
            from = new NodeJoin.BootstrapKubeconfig(source.bootstrapKubeconfig);
        } else {
            from = new NodeJoin.TokenDiscovery(
                    source.token.server,
                    BootstrapTokenString.parse(source.token.token),
                    CaCertificateHash.parse(source.token.caHash));
        }
        String name = Optional.ofNullable(nodeName)
                .orElseGet(() -> HostDefaults.system().hostname().toLowerCase(Locale.ROOT));
        Path state = stateDirectory.toAbsolutePath().normalize();
        NodeJoin.Request request = new NodeJoin.Request(
                name,
                state,
                Optional.ofNullable(config).orElse(state.resolve("petlet.yaml")),
                Optional.ofNullable(kubeletPort),
                Optional.ofNullable(nodeIp),
                Optional.ofNullable(certificateLifetime),
                timeout);
        NodeJoin.Result result =
                NodeJoin.join(from, request, line -> System.out.println("petlet: " + line), Clock.systemUTC());
        System.out.println("petlet: node " + name + " joined " + result.server() + "; its client certificate is valid "
                + "until " + result.clientCertificate().notAfter());
        System.out.println("petlet: start it with `petlet run --config " + result.configFile() + "` (or the systemd "
                + "unit in systemd/petlet.service)");
        return 0;
    }
}

package dev.petlet.core.join;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * The part of a kubeconfig a node uses: the current context's server and CA, and either a bearer token or
 * client certificate files.
 *
 * @param server the API server URL
 * @param caCertificatePem the cluster CA bundle (PEM)
 * @param token a bearer token (a bootstrap token), if the user has one
 * @param clientCertificate the client certificate file, if the user has one
 * @param clientKey the client key file, if the user has one
 */
public record KubeconfigFile(
        String server,
        String caCertificatePem,
        Optional<String> token,
        Optional<Path> clientCertificate,
        Optional<Path> clientKey) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public KubeconfigFile {
        requireNonNull(server, "server");
        requireNonNull(caCertificatePem, "caCertificatePem");
        requireNonNull(token, "token");
        requireNonNull(clientCertificate, "clientCertificate");
        requireNonNull(clientKey, "clientKey");
    }

    /** Reads the current context's cluster and user; the message names the file and what is missing. */
    public static KubeconfigFile read(Path file) throws IOException {
        return parse(
                Files.readString(file), file.toString(), file.toAbsolutePath().getParent());
    }

    /**
     * Parses kubeconfig text; relative file names are relative to {@code directory}.
     *
     * @param source what to call the text in messages
     */
    public static KubeconfigFile parse(String text, String source, Path directory) throws IOException {
        JsonNode root = YAML.readTree(text);
        if (root == null || !root.isObject()) {
            throw new IOException(source + ": not a kubeconfig");
        }
        String contextName = root.path("current-context").asText("");
        JsonNode context = named(root.path("contexts"), contextName).path("context");
        JsonNode cluster =
                named(root.path("clusters"), context.path("cluster").asText("")).path("cluster");
        if (cluster.isMissingNode()) {
            cluster = root.path("clusters").path(0).path("cluster");
        }
        JsonNode user =
                named(root.path("users"), context.path("user").asText("")).path("user");
        if (user.isMissingNode()) {
            user = root.path("users").path(0).path("user");
        }
        String server = cluster.path("server").asText("");
        if (server.isEmpty()) {
            throw new IOException(source + ": the cluster has no server");
        }
        String ca;
        if (cluster.hasNonNull("certificate-authority-data")) {
            ca = new String(
                    Base64.getDecoder()
                            .decode(cluster.get("certificate-authority-data").asText()),
                    StandardCharsets.US_ASCII);
        } else if (cluster.hasNonNull("certificate-authority")) {
            ca = Files.readString(
                    directory.resolve(cluster.get("certificate-authority").asText()));
        } else {
            throw new IOException(source + ": the cluster has no certificate-authority-data: petlet verifies the "
                    + "API server and needs its CA");
        }
        Optional<String> token = Optional.ofNullable(user.get("token")).map(JsonNode::asText);
        Optional<Path> certificate = Optional.ofNullable(user.get("client-certificate"))
                .map(JsonNode::asText)
                .map(directory::resolve);
        Optional<Path> key = Optional.ofNullable(user.get("client-key"))
                .map(JsonNode::asText)
                .map(directory::resolve);
        return new KubeconfigFile(server, ca, token, certificate, key);
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode entry : list) {
            if (name.equals(entry.path("name").asText())) {
                return entry;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** A kubeconfig with a bearer token (the bootstrap kubeconfig). */
    public static String renderWithToken(String server, String caCertificatePem, String user, String token) {
        return render(server, caCertificatePem, user, "    token: " + token + "\n");
    }

    /** A kubeconfig with client certificate and key in files (the kubelet's kubelet.conf). */
    public static String renderWithCertificateFile(
            String server, String caCertificatePem, String user, Path certificateAndKey) {
        return render(
                server,
                caCertificatePem,
                user,
                "    client-certificate: " + certificateAndKey + "\n    client-key: " + certificateAndKey + "\n");
    }

    private static String render(String server, String caCertificatePem, String user, String credentials) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: default-cluster
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                %scontexts:
                - name: default-context
                  context:
                    cluster: default-cluster
                    user: %s
                current-context: default-context
                """.formatted(
                        server,
                        Base64.getEncoder().encodeToString(caCertificatePem.getBytes(StandardCharsets.US_ASCII)),
                        user,
                        credentials,
                        user);
    }
}

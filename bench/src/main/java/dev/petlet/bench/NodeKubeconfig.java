package dev.petlet.bench;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Writes a kubeconfig with a client certificate embedded, readable by its owner only (it holds a key). */
final class NodeKubeconfig {
    private NodeKubeconfig() {}

    static void write(Path file, URI server, Path caCertificate, String user, Path certificate, Path key)
            throws IOException {
        Base64.Encoder base64 = Base64.getEncoder();
        Config kubeconfig = new ConfigBuilder()
                .withApiVersion("v1")
                .withKind("Config")
                .addNewCluster()
                .withName("bench")
                .withNewCluster()
                .withServer(server.toString())
                .withCertificateAuthorityData(base64.encodeToString(Files.readAllBytes(caCertificate)))
                .endCluster()
                .endCluster()
                .addNewUser()
                .withName(user)
                .withNewUser()
                .withClientCertificateData(base64.encodeToString(Files.readAllBytes(certificate)))
                .withClientKeyData(base64.encodeToString(Files.readAllBytes(key)))
                .endUser()
                .endUser()
                .addNewContext()
                .withName("bench")
                .withNewContext()
                .withCluster("bench")
                .withUser(user)
                .endContext()
                .endContext()
                .withCurrentContext("bench")
                .build();
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Serialization.asYaml(kubeconfig));
    }
}

package dev.petlet.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Writes kubeconfig files with the credentials embedded, so they work when copied elsewhere. */
final class Kubeconfig {
    private Kubeconfig() {}

    /** The kubeconfig text for a client-certificate user of one cluster. */
    static String render(String server, byte[] caCertificate, String user, byte[] certificate, byte[] key) {
        Base64.Encoder base64 = Base64.getEncoder();
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: petlet-sandbox
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                contexts:
                - name: petlet-sandbox
                  context:
                    cluster: petlet-sandbox
                    user: %s
                current-context: petlet-sandbox
                """.formatted(
                        server,
                        base64.encodeToString(caCertificate),
                        user,
                        base64.encodeToString(certificate),
                        base64.encodeToString(key),
                        user);
    }

    /** Writes a kubeconfig readable by its owner only (it holds a private key), atomically. */
    static void write(Path file, String server, Path caCertificate, String user, Path certificate, Path key)
            throws IOException {
        String text = render(
                server,
                Files.readAllBytes(caCertificate),
                user,
                Files.readAllBytes(certificate),
                Files.readAllBytes(key));
        Path temporary = Files.createTempFile(
                file.getParent(),
                "." + file.getFileName(),
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

package dev.petlet.core.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateStoreTest {
    @TempDir
    Path directory;

    private final Instant now = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void nothingIsCurrentAtFirst() throws Exception {
        assertThat(new CertificateStore(directory.resolve("pki"), CertificateKind.CLIENT).current())
                .isEmpty();
    }

    @Test
    void storesThePairOwnerOnlyBehindTheCurrentSymlink() throws Exception {
        CertificateStore store = new CertificateStore(directory, CertificateKind.CLIENT);
        KeyedCertificate pair = pair();
        Path file = store.store(pair, now);

        assertThat(store.currentFile().getFileName().toString()).isEqualTo("kubelet-client-current.pem");
        assertThat(Files.isSymbolicLink(store.currentFile())).isTrue();
        assertThat(Files.readSymbolicLink(store.currentFile())).isEqualTo(file.getFileName());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        KeyedCertificate read = store.current().orElseThrow();
        assertThat(read.chain()).isEqualTo(pair.chain());
        assertThat(read.key().getEncoded()).isEqualTo(pair.key().getEncoded());
    }

    @Test
    void aRenewalMovesTheSymlinkAndKeepsOnlyTheLastTwo() throws Exception {
        CertificateStore store = new CertificateStore(directory, CertificateKind.SERVING);
        store.store(pair(), now);
        store.store(pair(), now.plus(Duration.ofMinutes(1)));
        KeyedCertificate third = pair();
        Path latest = store.store(third, now.plus(Duration.ofMinutes(2)));

        assertThat(Files.readSymbolicLink(store.currentFile())).isEqualTo(latest.getFileName());
        assertThat(store.current().orElseThrow().leaf()).isEqualTo(third.leaf());
        try (var files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly(
                            "kubelet-server-2026-11-21-10-01-00-000.pem",
                            "kubelet-server-2026-11-21-10-02-00-000.pem",
                            "kubelet-server-current.pem");
        }
    }

    private static KeyedCertificate pair() {
        KeyPair keys = CertificateRequests.newKeyPair();
        return new KeyedCertificate(
                List.of(CertificateRequests.selfSigned("n", keys, List.of("n"), List.of(), Instant.now())),
                keys.getPrivate());
    }
}

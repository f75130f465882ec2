package dev.petlet.sandbox.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {
    private static final String DIGEST = "4f2d9b1c8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c";

    @Test
    void singleFileChecksumIsTheDigestAlone() {
        assertThat(Checksums.parseSingle(DIGEST)).contains(DIGEST);
        assertThat(Checksums.parseSingle(DIGEST + "\n")).contains(DIGEST);
    }

    @Test
    void singleFileChecksumMayNameTheFile() {
        assertThat(Checksums.parseSingle(DIGEST + "  kube-apiserver\n")).contains(DIGEST);
        assertThat(Checksums.parseSingle("  " + DIGEST.toUpperCase() + "\tkube-apiserver"))
                .contains(DIGEST);
    }

    @Test
    void singleFileChecksumWithoutADigestIsRejected() {
        assertThat(Checksums.parseSingle("<html><body>Sign in to continue</body></html>"))
                .isEmpty();
        assertThat(Checksums.parseSingle(DIGEST.substring(1))).isEmpty();
        assertThat(Checksums.parseSingle("")).isEmpty();
    }

    @Test
    void checksumListIsSearchedByFileName() {
        String sums =
                "1111111111111111111111111111111111111111111111111111111111111111  etcd-v3.5.21-darwin-amd64.zip\n"
                        + DIGEST + "  etcd-v3.5.21-linux-amd64.tar.gz\n"
                        + "2222222222222222222222222222222222222222222222222222222222222222  etcd-v3.5.21-linux-arm64.tar.gz\n";
        assertThat(Checksums.find(sums, "etcd-v3.5.21-linux-amd64.tar.gz")).contains(DIGEST);
        assertThat(Checksums.find(sums, "etcd-v3.5.21-linux-ppc64le.tar.gz")).isEmpty();
    }

    @Test
    void checksumListAcceptsBinaryModeMarkersAndDotSlash() {
        assertThat(Checksums.find(DIGEST + " *etcd.tar.gz\n", "etcd.tar.gz")).contains(DIGEST);
        assertThat(Checksums.find(DIGEST + "  ./etcd.tar.gz\n", "etcd.tar.gz")).contains(DIGEST);
        assertThat(Checksums.find("\n\n" + DIGEST + "  etcd.tar.gz\r\n", "etcd.tar.gz"))
                .contains(DIGEST);
    }

    @Test
    void checksumListDoesNotMatchOnPartOfAName() {
        assertThat(Checksums.find(DIGEST + "  etcd.tar.gz.asc\n", "etcd.tar.gz"))
                .isEmpty();
        assertThat(Checksums.find("not-a-digest  etcd.tar.gz\n", "etcd.tar.gz")).isEmpty();
    }

    @Test
    void computesTheSha256OfAFile(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("abc"), "abc");
        assertThat(Checksums.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}

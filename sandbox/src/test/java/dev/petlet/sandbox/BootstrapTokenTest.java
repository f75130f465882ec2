package dev.petlet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTokenTest {
    @TempDir
    Path directory;

    @Test
    void generatesTokensOfTheKubernetesForm() {
        BootstrapToken token = BootstrapToken.generate(new SecureRandom());
        assertThat(token.value()).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
        assertThat(token.toString()).doesNotContain(token.secret());
    }

    @Test
    void rejectsMalformedTokens() {
        assertThatThrownBy(() -> BootstrapToken.parse("ABCDEF.0123456789abcdef"))
                .hasMessageContaining("[a-z0-9]{6}.[a-z0-9]{16}");
        assertThatThrownBy(() -> new BootstrapToken("abc", "0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsTheTokenInAPrivateFileAndReusesIt() throws Exception {
        Path file = directory.resolve("bootstrap-token");
        BootstrapToken first = BootstrapToken.loadOrCreate(file, new SecureRandom());
        BootstrapToken second = BootstrapToken.loadOrCreate(file, new SecureRandom());
        assertThat(second).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void replacesAGarbledFile() throws Exception {
        Path file = directory.resolve("bootstrap-token");
        Files.writeString(file, "not a token");
        assertThat(BootstrapToken.loadOrCreate(file, new SecureRandom()).value())
                .matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
    }
}

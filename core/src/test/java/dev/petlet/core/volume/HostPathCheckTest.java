package dev.petlet.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathCheckTest {
    @TempDir
    Path dir;

    @Test
    void createsWhatTheOrCreateTypesAskFor() throws Exception {
        HostPathCheck.check(dir.resolve("new/deep"), "DirectoryOrCreate");
        assertThat(dir.resolve("new/deep")).isDirectory();
        HostPathCheck.check(dir.resolve("sub/file"), "FileOrCreate");
        assertThat(dir.resolve("sub/file")).isRegularFile();
        HostPathCheck.check(dir.resolve("unchecked"), "");
        assertThat(dir.resolve("unchecked")).isDirectory();
    }

    @Test
    void refusesAPathOfTheWrongKindWithTheKubeletsMessage() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> HostPathCheck.check(file, "Directory"))
                .isInstanceOf(VolumeError.class)
                .hasMessage("hostPath type check failed: " + file + " is not a directory");
        assertThatThrownBy(() -> HostPathCheck.check(file, "DirectoryOrCreate"))
                .hasMessage("hostPath type check failed: " + file + " is not a directory");
        assertThatThrownBy(() -> HostPathCheck.check(dir, "File"))
                .hasMessage("hostPath type check failed: " + dir + " is not a file");
        assertThatThrownBy(() -> HostPathCheck.check(dir.resolve("absent"), "Directory"))
                .hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> HostPathCheck.check(file, "Socket"))
                .hasMessage("hostPath type check failed: " + file + " is not a socket file");
        assertThatThrownBy(() -> HostPathCheck.check(file, "CharDevice"))
                .hasMessage("hostPath type check failed: " + file + " is not a character device");
        assertThatThrownBy(() -> HostPathCheck.check(Path.of("/dev/null"), "BlockDevice"))
                .hasMessage("hostPath type check failed: /dev/null is not a block device");
    }

    @Test
    void acceptsMatchingKinds() {
        assertThatCode(() -> {
                    HostPathCheck.check(dir, "Directory");
                    HostPathCheck.check(Path.of("/dev/null"), "CharDevice");
                    HostPathCheck.check(dir.resolve("f"), "");
                })
                .doesNotThrowAnyException();
    }
}

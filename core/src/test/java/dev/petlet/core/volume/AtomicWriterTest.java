package dev.petlet.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
    @TempDir
    Path volume;

    private final AtomicWriter writer =
            new AtomicWriter(Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));

    private static FileProjection file(String text, int mode) {
        return new FileProjection(text.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Test
    void writesTheKubeletLayout() throws Exception {
        assertThat(writer.write(volume, Map.of("a", file("one", 0644), "dir/b", file("two", 0400))))
                .isTrue();

        Path data = volume.resolve("..data");
        assertThat(Files.isSymbolicLink(data)).isTrue();
        assertThat(Files.readSymbolicLink(data).toString()).startsWith("..2026_11_21_10_00_00.");
        assertThat(Files.readSymbolicLink(volume.resolve("a"))).isEqualTo(Path.of("..data/a"));
        assertThat(Files.readSymbolicLink(volume.resolve("dir"))).isEqualTo(Path.of("..data/dir"));
        assertThat(Files.readString(volume.resolve("a"))).isEqualTo("one");
        assertThat(Files.readString(volume.resolve("dir/b"))).isEqualTo("two");
        assertThat(AtomicWriter.mode(data.toRealPath().resolve("dir/b"))).isEqualTo(0400);
    }

    @Test
    void swapsToNewContentAndRemovesWhatIsGone() throws Exception {
        writer.write(volume, Map.of("a", file("one", 0644), "b", file("bee", 0644)));
        Path first = volume.resolve("..data").toRealPath();

        assertThat(writer.write(volume, Map.of("a", file("changed", 0644)))).isTrue();

        assertThat(Files.readString(volume.resolve("a"))).isEqualTo("changed");
        assertThat(volume.resolve("b")).doesNotExist();
        assertThat(Files.exists(volume.resolve("b"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isFalse();
        assertThat(first).doesNotExist();
        try (Stream<Path> entries = Files.list(volume)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..2026")))
                    .hasSize(1);
        }
    }

    @Test
    void leavesUnchangedContentAlone() throws Exception {
        writer.write(volume, Map.of("a", file("one", 0644)));
        Path first = volume.resolve("..data").toRealPath();

        assertThat(writer.write(volume, Map.of("a", file("one", 0644)))).isFalse();
        assertThat(volume.resolve("..data").toRealPath()).isEqualTo(first);
        assertThat(writer.write(volume, Map.of("a", file("one", 0600)))).isTrue(); // a mode change counts
    }

    @Test
    void refusesPathsThatLeaveTheVolume() {
        assertThatThrownBy(() -> writer.write(volume, Map.of("../x", file("x", 0644))))
                .isInstanceOf(VolumeError.class)
                .hasMessageContaining("must not start with '..'");
        assertThatThrownBy(() -> writer.write(volume, Map.of("a/../../x", file("x", 0644))))
                .hasMessageContaining("must not contain '..'");
        assertThatThrownBy(() -> writer.write(volume, Map.of("/etc/x", file("x", 0644))))
                .hasMessageContaining("must be a relative path");
    }
}

package dev.petlet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path temporary;

    @Test
    void deletesATreeWithoutFollowingItsLinks() throws Exception {
        Path outside = Files.writeString(temporary.resolve("outside"), "kept");
        Path tree = Files.createDirectories(temporary.resolve("tree/a/b"));
        Files.writeString(tree.resolve("file"), "x");
        Files.createSymbolicLink(temporary.resolve("tree/link"), outside);
        Files.createSymbolicLink(temporary.resolve("tree/dangling"), temporary.resolve("nowhere"));

        FileTrees.delete(temporary.resolve("tree"));

        assertThat(temporary.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("kept");
    }

    @Test
    void aMissingTreeIsNothingToDo() throws Exception {
        FileTrees.delete(temporary.resolve("missing"));
        assertThat(temporary.resolve("missing")).doesNotExist();
    }
}

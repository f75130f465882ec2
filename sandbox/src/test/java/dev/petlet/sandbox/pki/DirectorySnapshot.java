package dev.petlet.sandbox.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The content and modification time of every file in a directory, to tell what a call rewrote. */
record DirectorySnapshot(Map<String, FileState> files) {

    record FileState(String content, FileTime modified) {}

    static DirectorySnapshot of(Path directory) throws IOException {
        Map<String, FileState> files = new TreeMap<>();
        try (Stream<Path> children = Files.list(directory)) {
            for (Path child : children.toList()) {
                files.put(
                        child.getFileName().toString(),
                        new FileState(
                                new String(Files.readAllBytes(child), StandardCharsets.ISO_8859_1),
                                Files.getLastModifiedTime(child)));
            }
        }
        return new DirectorySnapshot(files);
    }

    /** Names of files whose content differs between the two snapshots, or that exist in one only. */
    Set<String> changedSince(DirectorySnapshot earlier) {
        Set<String> changed = new TreeSet<>();
        Set<String> names = new TreeSet<>(files.keySet());
        names.addAll(earlier.files.keySet());
        for (String name : names) {
            FileState now = files.get(name);
            FileState before = earlier.files.get(name);
            if (now == null || before == null || !now.content().equals(before.content())) {
                changed.add(name);
            }
        }
        return changed;
    }
}

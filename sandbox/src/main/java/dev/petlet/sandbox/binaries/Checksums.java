package dev.petlet.sandbox.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads published SHA-256 checksum files and computes the digests to compare with them. */
final class Checksums {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private Checksums() {}

    /**
     * The digest in a checksum file for one file, such as {@code kube-apiserver.sha256}: a hex
     * digest, possibly followed by whitespace and a file name.
     */
    static Optional<String> parseSingle(String content) {
        String[] fields = content.strip().split("\\s+", 2);
        return asDigest(fields[0]);
    }

    /**
     * The digest of {@code fileName} in a {@code SHA256SUMS} file of {@code "<hex>  <name>"} lines
     * (a name may carry the {@code *} binary-mode marker or a {@code ./} prefix).
     */
    static Optional<String> find(String content, String fileName) {
        return content.lines()
                .map(line -> line.strip().split("\\s+", 2))
                .filter(fields -> fields.length == 2 && nameOf(fields[1]).equals(fileName))
                .map(fields -> asDigest(fields[0]))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /** The lower-case hex SHA-256 of a file's content. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream input = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = input.read(buffer)) != -1) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String nameOf(String field) {
        String name = field.strip();
        if (name.startsWith("*")) {
            name = name.substring(1);
        }
        if (name.startsWith("./")) {
            name = name.substring(2);
        }
        return name;
    }

    private static Optional<String> asDigest(String field) {
        return SHA256_HEX.matcher(field).matches() ? Optional.of(field.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException(e);
        }
    }
}

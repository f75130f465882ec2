package dev.petlet.e2e.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Random files and their SHA-256, to compare with what {@code sha256sum} prints in a pod. */
final class Checksums {
    private Checksums() {}

    /** Writes a file of random bytes. */
    static Path randomFile(Path file, long size) {
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += buffer.length) {
                ThreadLocalRandom.current().nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, size - written));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SHA-256 of the file, in lower-case hex as {@code sha256sum} prints it. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SHA-256 of everything the stream holds, read to its end. */
    static String sha256(InputStream in) throws IOException {
        MessageDigest digest = digest();
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The hash from a line {@code sha256sum} printed ({@code <hash>  <name>}). */
    static String fromSha256sum(String output) {
        String hash = output.strip().split("\\s+")[0];
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new AssertionError("not sha256sum output: " + output);
        }
        return hash;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

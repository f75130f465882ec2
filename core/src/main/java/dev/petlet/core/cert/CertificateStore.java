package dev.petlet.core.cert;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One kind of certificate in a directory, laid out as the kubelet lays it out: each certificate with its key in
 * {@code <prefix>-<timestamp>.pem} (mode 0600), and the symlink {@code <prefix>-current.pem} naming the one in
 * use. Every change is atomic: the file is written under a temporary name and renamed, then the symlink is
 * replaced by a rename, so a reader sees the old pair or the new one, never half of each.
 */
public final class CertificateStore {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss-SSS").withZone(ZoneOffset.UTC);
    private static final int KEEP = 2;

    private final Path directory;
    private final CertificateKind kind;

    public CertificateStore(Path directory, CertificateKind kind) {
        this.directory = requireNonNull(directory, "directory");
        this.kind = requireNonNull(kind, "kind");
    }

    /** The symlink to the pair in use: what a kubeconfig's client-certificate and client-key name. */
    public Path currentFile() {
        return directory.resolve(kind.filePrefix() + "-current.pem");
    }

    /** The pair in use, if there is one. */
    public Optional<KeyedCertificate> current() throws IOException {
        return read(currentFile());
    }

    /** Reads a file holding a certificate chain and its key; empty if it does not exist. */
    public static Optional<KeyedCertificate> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            List<X509Certificate> chain = PemText.certificates(text);
            if (chain.isEmpty()) {
                throw new IOException(file + " holds no certificate");
            }
            return Optional.of(new KeyedCertificate(chain, PemText.privateKey(text)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " holds no readable certificate and key: " + e.getMessage(), e);
        }
    }

    /** Stores the pair and makes it current; returns the new file. */
    public Path store(KeyedCertificate pair, Instant now) throws IOException {
        Files.createDirectories(directory);
        StringBuilder text = new StringBuilder();
        pair.chain().forEach(certificate -> text.append(PemText.encode(certificate)));
        text.append(PemText.encode(pair.key()));
        Path file = directory.resolve(kind.filePrefix() + "-" + STAMP.format(now) + ".pem");
        writePrivate(file, text.toString());
        Path link = directory.resolve("." + kind.filePrefix() + "-current.pem.tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, file.getFileName());
        Files.move(link, currentFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        removeOld(file);
        return file;
    }

    /** Writes a file readable by its owner only, atomically. */
    public static void writePrivate(Path file, String text) throws IOException {
        Path temporary = Files.createTempFile(
                file.getParent(),
                "." + file.getFileName(),
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Keeps the newest pairs (the current one and the one before, for a look back), removes the rest. */
    private void removeOld(Path keep) throws IOException {
        List<Path> pairs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, kind.filePrefix() + "-*.pem")) {
            for (Path file : files) {
                if (!file.equals(currentFile()) && !Files.isSymbolicLink(file)) {
                    pairs.add(file);
                }
            }
        }
        pairs.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        for (Path old : pairs.subList(Math.min(KEEP, pairs.size()), pairs.size())) {
            if (!old.equals(keep)) {
                Files.deleteIfExists(old);
            }
        }
    }
}

package dev.petlet.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * A Kubernetes bootstrap token, {@code [a-z0-9]{6}.[a-z0-9]{16}}: the id is public (it names the
 * Secret {@code kube-system/bootstrap-token-<id>}), the secret authenticates.
 */
public record BootstrapToken(String id, String secret) {
    private static final Pattern FORMAT = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    public BootstrapToken {
        if (!FORMAT.matcher(id + "." + secret).matches()) {
            throw new IllegalArgumentException("a bootstrap token has the form [a-z0-9]{6}.[a-z0-9]{16}");
        }
    }

    static BootstrapToken generate(SecureRandom random) {
        return new BootstrapToken(randomString(random, 6), randomString(random, 16));
    }

    static BootstrapToken parse(String token) {
        var matcher = FORMAT.matcher(token.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("a bootstrap token has the form [a-z0-9]{6}.[a-z0-9]{16}");
        }
        return new BootstrapToken(matcher.group(1), matcher.group(2));
    }

    /** Reads the token kept in the file, or makes one and keeps it there (mode 0600). */
    static BootstrapToken loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            try {
                return parse(Files.readString(file));
            } catch (IllegalArgumentException garbled) {
                // fall through: replace a garbled file with a fresh token
            }
        }
        BootstrapToken token = generate(random);
        Path temporary = Files.createTempFile(
                file.getParent(),
                ".token",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, token.value() + "\n");
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return token;
    }

    /** The {@code id.secret} form a node joins with. */
    public String value() {
        return id + "." + secret;
    }

    @Override
    public String toString() {
        return "BootstrapToken[" + id + ".****]";
    }

    private static String randomString(SecureRandom random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}

package dev.petlet.core.join;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A bootstrap token {@code <id>.<secret>}: 6 and 16 characters of {@code [a-z0-9]}.
 *
 * @param id public: names the Secret {@code kube-system/bootstrap-token-<id>} and the signature in cluster-info
 * @param secret the shared secret
 */
public record BootstrapTokenString(String id, String secret) {
    private static final Pattern FORMAT = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");

    public BootstrapTokenString {
        requireNonNull(id, "id");
        requireNonNull(secret, "secret");
    }

    /** Parses a token; the message of the exception says what a token looks like. */
    public static BootstrapTokenString parse(String token) {
        var matcher = FORMAT.matcher(requireNonNull(token, "token").trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("--token: not a bootstrap token; expected <6 characters>.<16 "
                    + "characters> of a-z and 0-9, like abcdef.0123456789abcdef (`kubeadm token create` prints one)");
        }
        return new BootstrapTokenString(matcher.group(1), matcher.group(2));
    }

    /** The bearer token, {@code id.secret}. */
    public String value() {
        return id + "." + secret;
    }

    @Override
    public String toString() {
        return id + ".<secret>";
    }
}

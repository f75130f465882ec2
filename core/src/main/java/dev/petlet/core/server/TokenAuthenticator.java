package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bearer tokens through TokenReviews, each answer (accepted or not) cached for two minutes as the kubelet's
 * {@code authentication.webhook.cacheTTL}. Failures to ask are not cached. Tokens are kept only as SHA-256
 * digests.
 */
final class TokenAuthenticator {
    static final Duration CACHE_TTL = Duration.ofMinutes(2);

    private final TokenReviewer reviewer;
    private final Cache<String, Optional<User>> cache;

    TokenAuthenticator(TokenReviewer reviewer, Ticker ticker) {
        this.reviewer = requireNonNull(reviewer, "reviewer");
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfterWrite(CACHE_TTL)
                .maximumSize(10_000)
                .build();
    }

    Optional<User> authenticate(String token) {
        return cache.get(digest(token), key -> reviewer.review(token));
    }

    private static String digest(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

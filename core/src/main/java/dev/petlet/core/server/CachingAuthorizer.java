package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * SubjectAccessReviews with the kubelet's webhook caches: an allow is kept five minutes, a deny thirty seconds
 * ({@code authorization.webhook.cacheAuthorizedTTL}, {@code cacheUnauthorizedTTL}). Failures to ask are not
 * cached.
 */
final class CachingAuthorizer implements Authorizer {
    static final Duration ALLOWED_TTL = Duration.ofMinutes(5);
    static final Duration DENIED_TTL = Duration.ofSeconds(30);

    private final AccessReviewer reviewer;
    private final Cache<AuthorizationAttributes, Boolean> cache;

    CachingAuthorizer(AccessReviewer reviewer, Ticker ticker) {
        this.reviewer = requireNonNull(reviewer, "reviewer");
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(10_000)
                .expireAfter(new Expiry<AuthorizationAttributes, Boolean>() {
                    @Override
                    public long expireAfterCreate(AuthorizationAttributes key, Boolean allowed, long now) {
                        return (allowed ? ALLOWED_TTL : DENIED_TTL).toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(
                            AuthorizationAttributes key, Boolean allowed, long now, long remaining) {
                        return expireAfterCreate(key, allowed, now);
                    }

                    @Override
                    public long expireAfterRead(
                            AuthorizationAttributes key, Boolean allowed, long now, long remaining) {
                        return remaining;
                    }
                })
                .build();
    }

    @Override
    public boolean allowed(AuthorizationAttributes attributes) {
        return cache.get(attributes, reviewer::review);
    }
}

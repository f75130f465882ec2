package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The TokenReview and SubjectAccessReview caches keep answers exactly as long as the kubelet's. */
class AuthenticationAndAuthorizationCacheTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static final User ALICE = User.of("alice", List.of("dev"));

    /** An authorizer whose reviews always answer {@code allowed} and are recorded. */
    private CachingAuthorizer recording(List<AuthorizationAttributes> reviews, boolean allowed) {
        return new CachingAuthorizer(
                attributes -> {
                    reviews.add(attributes);
                    return allowed;
                },
                ticker);
    }

    @Test
    void allowsAreCachedFiveMinutes() {
        List<AuthorizationAttributes> reviews = new ArrayList<>();
        CachingAuthorizer authorizer = recording(reviews, true);
        AuthorizationAttributes attributes = new AuthorizationAttributes(ALICE, "get", "proxy", "node-1");

        assertThat(authorizer.allowed(attributes)).isTrue();
        advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(authorizer.allowed(attributes)).isTrue();
        assertThat(reviews).hasSize(1);
        advance(Duration.ofSeconds(2));
        assertThat(authorizer.allowed(attributes)).isTrue();
        assertThat(reviews).hasSize(2);
    }

    @Test
    void deniesAreCachedThirtySeconds() {
        List<AuthorizationAttributes> reviews = new ArrayList<>();
        CachingAuthorizer authorizer = recording(reviews, false);
        AuthorizationAttributes attributes = new AuthorizationAttributes(ALICE, "get", "proxy", "node-1");

        authorizer.allowed(attributes);
        advance(Duration.ofSeconds(29));
        authorizer.allowed(attributes);
        assertThat(reviews).hasSize(1);
        advance(Duration.ofSeconds(2));
        authorizer.allowed(attributes);
        assertThat(reviews).hasSize(2);
    }

    @Test
    void theKeyIsUserGroupsVerbAndSubresource() {
        List<AuthorizationAttributes> reviews = new ArrayList<>();
        CachingAuthorizer authorizer = recording(reviews, true);

        authorizer.allowed(new AuthorizationAttributes(ALICE, "get", "proxy", "node-1"));
        authorizer.allowed(new AuthorizationAttributes(ALICE, "create", "proxy", "node-1"));
        authorizer.allowed(new AuthorizationAttributes(ALICE, "get", "pods", "node-1"));
        authorizer.allowed(new AuthorizationAttributes(User.of("alice", List.of("ops")), "get", "proxy", "node-1"));
        authorizer.allowed(new AuthorizationAttributes(ALICE, "get", "proxy", "node-1"));

        assertThat(reviews).hasSize(4);
    }

    @Test
    void failuresToAskAreNotCached() {
        int[] calls = {0};
        CachingAuthorizer authorizer = new CachingAuthorizer(
                attributes -> {
                    if (calls[0]++ == 0) {
                        throw new IllegalStateException("API server unreachable");
                    }
                    return true;
                },
                ticker);
        AuthorizationAttributes attributes = new AuthorizationAttributes(ALICE, "get", "proxy", "node-1");

        assertThatThrownBy(() -> authorizer.allowed(attributes)).hasMessage("API server unreachable");
        assertThat(authorizer.allowed(attributes)).isTrue();
    }

    @Test
    void tokenReviewsAreCachedTwoMinutesEitherWay() {
        List<String> reviews = new ArrayList<>();
        TokenAuthenticator tokens = new TokenAuthenticator(
                token -> {
                    reviews.add(token);
                    return token.equals("good") ? Optional.of(ALICE) : Optional.empty();
                },
                ticker);

        assertThat(tokens.authenticate("good")).contains(ALICE);
        assertThat(tokens.authenticate("bad")).isEmpty();
        advance(Duration.ofMinutes(2).minusSeconds(1));
        assertThat(tokens.authenticate("good")).contains(ALICE);
        assertThat(tokens.authenticate("bad")).isEmpty();
        assertThat(reviews).containsExactly("good", "bad");
        advance(Duration.ofSeconds(2));
        tokens.authenticate("good");
        assertThat(reviews).containsExactly("good", "bad", "good");
    }

    @Test
    void bearerTokensAreFoundInTheHeader() {
        assertThat(RequestAuthenticator.bearerToken("Bearer abc")).contains("abc");
        assertThat(RequestAuthenticator.bearerToken("bearer  abc ")).contains("abc");
        assertThat(RequestAuthenticator.bearerToken("Basic abc")).isEmpty();
        assertThat(RequestAuthenticator.bearerToken("Bearer ")).isEmpty();
        assertThat(RequestAuthenticator.bearerToken(null)).isEmpty();
    }

    @Test
    void withoutTokenAuthenticationATokenIsNobody() {
        assertThat(new RequestAuthenticator(Optional.empty()).authenticate(null, "Bearer abc"))
                .isEmpty();
    }
}

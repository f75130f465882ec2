package dev.petlet.core.volume;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Keeps each pod's projected tokens, asking for a new one when {@link TokenRotation} says so. */
final class ServiceAccountTokens {
    private final TokenSource source;
    private final Clock clock;
    private final Map<Key, TokenSource.IssuedToken> tokens = new ConcurrentHashMap<>();

    ServiceAccountTokens(TokenSource source, Clock clock) {
        this.source = requireNonNull(source, "source");
        this.clock = requireNonNull(clock, "clock");
    }

    String token(
            String namespace,
            String serviceAccount,
            Optional<String> audience,
            long expirationSeconds,
            String podName,
            String podUid) {
        Key key = new Key(namespace, serviceAccount, audience, expirationSeconds, podName, podUid);
        TokenSource.IssuedToken known = tokens.get(key);
        Duration jitter = Duration.ofMillis(ThreadLocalRandom.current().nextLong(10_000));
        if (known == null || TokenRotation.requiresRefresh(known, clock.instant(), jitter)) {
            known = source.request(namespace, serviceAccount, audience, expirationSeconds, podName, podUid);
            tokens.put(key, known);
        }
        return known.token();
    }

    void forget(String podUid) {
        tokens.keySet().removeIf(key -> key.podUid().equals(podUid));
    }

    private record Key(
            String namespace,
            String serviceAccount,
            Optional<String> audience,
            long expirationSeconds,
            String podName,
            String podUid) {}
}

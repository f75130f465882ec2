package dev.petlet.core.cert;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one of the node's certificates fresh, as the kubelet's certificate manager does: renews it at the time
 * {@link RenewalSchedule} picks with a new key and a CSR sent with the node's own credentials, stores it, and
 * hands it to {@code onRenewed}. A self-signed serving certificate is replaced as soon as one is issued. A failed
 * attempt (not approved within {@link #ATTEMPT_TIMEOUT}, denied, API unreachable) is retried with back-off.
 */
public final class CertificateRotation implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateRotation.class);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    private static final Duration LAST_RETRY = Duration.ofMinutes(5);

    private final CertificateKind kind;
    private final String nodeName;
    private final CertificateStore store;
    private final Supplier<CertificateSigningRequests> requests;
    private final Supplier<List<String>> dnsNames;
    private final Supplier<List<InetAddress>> addresses;
    private final Optional<Duration> expiration;
    private final RenewalSchedule schedule;
    private final Consumer<KeyedCertificate> onRenewed;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private volatile KeyedCertificate current;
    private Duration retry = FIRST_RETRY;

    /**
     * @param requests the CSR client with the node's current credentials
     * @param expiration the lifetime to request, if not the signer's default
     * @param onRenewed receives each new certificate after it is stored
     */
    public CertificateRotation(
            CertificateKind kind,
            String nodeName,
            CertificateStore store,
            Supplier<CertificateSigningRequests> requests,
            Supplier<List<String>> dnsNames,
            Supplier<List<InetAddress>> addresses,
            Optional<Duration> expiration,
            RenewalSchedule schedule,
            Consumer<KeyedCertificate> onRenewed,
            Clock clock) {
        this.kind = requireNonNull(kind, "kind");
        this.nodeName = requireNonNull(nodeName, "nodeName");
        this.store = requireNonNull(store, "store");
        this.requests = requireNonNull(requests, "requests");
        this.dnsNames = requireNonNull(dnsNames, "dnsNames");
        this.addresses = requireNonNull(addresses, "addresses");
        this.expiration = requireNonNull(expiration, "expiration");
        this.schedule = requireNonNull(schedule, "schedule");
        this.onRenewed = requireNonNull(onRenewed, "onRenewed");
        this.clock = requireNonNull(clock, "clock");
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon()
                .name("petlet-" + kind.filePrefix() + "-rotation")
                .factory());
    }

    /** Starts looking after {@code initial}: schedules its renewal, or asks at once when it is self-signed. */
    public void start(KeyedCertificate initial) {
        current = requireNonNull(initial, "initial");
        if (initial.selfSigned()) {
            executor.execute(this::renew);
        } else {
            scheduleRenewal();
        }
    }

    /** The certificate in use. */
    public KeyedCertificate current() {
        return current;
    }

    private void scheduleRenewal() {
        Instant now = clock.instant();
        Instant at = schedule.renewalTime(current.notBefore(), current.notAfter(), now);
        log.info(
                "will renew the {} of node {} at {} (it expires at {})",
                kind.description(),
                nodeName,
                at,
                current.notAfter());
        executor.schedule(this::renew, Duration.between(now, at).toMillis(), TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try {
            KeyedCertificate renewed = requests.get()
                    .obtain(
                            kind,
                            nodeName,
                            CertificateRequests.newKeyPair(),
                            kind == CertificateKind.SERVING ? dnsNames.get() : List.of(),
                            kind == CertificateKind.SERVING ? addresses.get() : List.of(),
                            expiration,
                            clock.instant().plus(ATTEMPT_TIMEOUT));
            store.store(renewed, clock.instant());
            current = renewed;
            retry = FIRST_RETRY;
            log.info("rotated the {} of node {}: valid until {}", kind.description(), nodeName, renewed.notAfter());
            onRenewed.accept(renewed);
            scheduleRenewal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CertificateException | IOException | RuntimeException e) {
            log.warn(
                    "cannot renew the {} of node {}, retrying in {}s: {}",
                    kind.description(),
                    nodeName,
                    retry.toSeconds(),
                    e.getMessage());
            if (!executor.isShutdown()) {
                executor.schedule(this::renew, retry.toMillis(), TimeUnit.MILLISECONDS);
            }
            retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

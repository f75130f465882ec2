package dev.petlet.core.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.RuntimeLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class RuntimeListingTest {
    private static final Map<String, String> AGENT = Map.of(AgentLabel.KEY, "me");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A runtime holding one sandbox and one container for each of pods a, b, c and d. */
    private final List<Map<String, String>> sandboxListings = new CopyOnWriteArrayList<>();

    private final List<Map<String, String>> containerListings = new CopyOnWriteArrayList<>();
    private final AtomicInteger listings = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile CountDownLatch entered = new CountDownLatch(0);
    private volatile ProviderException failure;

    private final RuntimeListing listing = new RuntimeListing(
            labels -> {
                listings.incrementAndGet();
                sandboxListings.add(labels);
                entered.countDown();
                awaitLatch(gate);
                if (failure != null) {
                    throw failure;
                }
                return List.of("a", "b", "c", "d").stream()
                        .filter(uid -> matches(labels, uid))
                        .map(RuntimeListingTest::sandbox)
                        .toList();
            },
            labels -> {
                containerListings.add(labels);
                return List.of("a", "b", "c", "d").stream()
                        .filter(uid -> matches(labels, uid))
                        .map(uid -> container(uid, listings.get()))
                        .toList();
            },
            AGENT);

    @Test
    void aLoneCallerListsOnlyItsPod() throws Exception {
        RuntimeListing.Snapshot snapshot = listing.of("b");

        assertThat(sandboxListings).containsExactly(Map.of(AgentLabel.KEY, "me", RuntimeLabels.POD_UID, "b"));
        assertThat(containerListings).containsExactly(Map.of(AgentLabel.KEY, "me", RuntimeLabels.POD_UID, "b"));
        assertThat(snapshot.sandboxesOf("b")).extracting(PodSandboxSummary::id).containsExactly("sandbox-b");
        assertThat(snapshot.containersOf("b"))
                .extracting(ContainerSummary::name)
                .containsExactly("app-1");
        assertThat(snapshot.containersOf("a")).isEmpty();
    }

    @Test
    void callersThatAskDuringAListingShareTheNextOne() throws Exception {
        gate = new CountDownLatch(1);
        entered = new CountDownLatch(1);
        CompletableFuture<RuntimeListing.Snapshot> first = ask("a");
        assertThat(entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        List<CompletableFuture<RuntimeListing.Snapshot>> waiting = List.of(ask("b"), ask("c"), ask("d"));
        until(
                "b, c and d to queue for the next listing",
                () -> listing.queued("b") && listing.queued("c") && listing.queued("d"));
        gate.countDown();

        assertThat(first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).containersOf("a"))
                .extracting(ContainerSummary::name)
                .containsExactly("app-1");
        for (var pod : List.of("b", "c", "d")) {
            var snapshot = waiting.get(List.of("b", "c", "d").indexOf(pod)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // Listing 2 began after they asked: never the listing that was running when they did.
            assertThat(snapshot.containersOf(pod))
                    .extracting(ContainerSummary::name)
                    .containsExactly("app-2");
        }
        assertThat(listings).hasValue(2);
        assertThat(sandboxListings.get(1)).isEqualTo(AGENT);
    }

    @Test
    void aFailedListingFailsEveryCallerItServesAndTheNextCallerListsAgain() throws Exception {
        failure = new ProviderException(ErrorCode.UNAVAILABLE, "podman is down");

        assertThatThrownBy(() -> listing.of("a"))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("podman is down");

        failure = null;
        assertThat(listing.of("a").sandboxesOf("a")).hasSize(1);
        assertThat(listings).hasValue(2);
    }

    private CompletableFuture<RuntimeListing.Snapshot> ask(String uid) {
        CompletableFuture<RuntimeListing.Snapshot> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(listing.of(uid));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static boolean matches(Map<String, String> labels, String uid) {
        return !labels.containsKey(RuntimeLabels.POD_UID)
                || labels.get(RuntimeLabels.POD_UID).equals(uid);
    }

    private static PodSandboxSummary sandbox(String uid) {
        return new PodSandboxSummary(
                "sandbox-" + uid,
                uid,
                "default",
                "pod-" + uid,
                0,
                PodSandboxState.READY,
                Instant.EPOCH,
                Map.of(RuntimeLabels.POD_UID, uid),
                Map.of());
    }

    /** A container named after the listing that saw it, so a test can tell listings apart. */
    private static ContainerSummary container(String uid, int listing) {
        return new ContainerSummary(
                uid + "-container",
                "sandbox-" + uid,
                "app-" + listing,
                0,
                ContainerState.RUNNING,
                Instant.EPOCH,
                "busybox",
                "sha256:1",
                Map.of(RuntimeLabels.POD_UID, uid),
                Map.of());
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the test never opened the listing's gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }
}

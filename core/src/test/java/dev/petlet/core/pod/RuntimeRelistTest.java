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
import dev.petlet.spi.runtime.RuntimeListing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuntimeRelistTest {
    private static final Map<String, String> AGENT = Map.of(AgentLabel.KEY, "me");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration NEVER = Duration.ofHours(1);

    /** What the fake runtime holds: container state by pod UID (one sandbox and one container each). */
    private final Map<String, ContainerState> pods = new ConcurrentHashMap<>();

    private final AtomicInteger listings = new AtomicInteger();
    private final List<Set<String>> changed = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile CountDownLatch entered = new CountDownLatch(0);
    private volatile ProviderException failure;
    /** How long each listing takes. */
    private volatile Duration listingTime = Duration.ZERO;

    private RuntimeRelist relist;

    @AfterEach
    void close() {
        gate.countDown();
        if (relist != null) {
            relist.close();
        }
    }

    @Test
    void theFirstListingNamesEveryPodAndIsKept() throws Exception {
        pods.put("a", ContainerState.RUNNING);
        pods.put("b", ContainerState.EXITED);
        start(NEVER, Duration.ZERO);

        RuntimeRelist.Snapshot snapshot = relist.latest();

        assertThat(snapshot.uids()).containsExactlyInAnyOrder("a", "b");
        assertThat(snapshot.containersOf("b"))
                .extracting(ContainerSummary::state)
                .containsExactly(ContainerState.EXITED);
        assertThat(snapshot.sandboxesOf("a")).extracting(PodSandboxSummary::id).containsExactly("sandbox-a");
        assertThat(snapshot.containersOf("c")).isEmpty();
        until("the listener hears of the first listing", () -> !changed.isEmpty());
        assertThat(changed.get(0)).containsExactlyInAnyOrder("a", "b");
        assertThat(listings.get()).isEqualTo(1);
    }

    @Test
    void laterListingsNameOnlyThePodsThatChanged() throws Exception {
        pods.put("a", ContainerState.RUNNING);
        pods.put("b", ContainerState.RUNNING);
        pods.put("c", ContainerState.RUNNING);
        start(NEVER, Duration.ZERO);
        relist.latest();
        pods.put("a", ContainerState.EXITED); // changed state
        pods.remove("b"); // gone
        pods.put("d", ContainerState.CREATED); // new

        relist.newerThan(System.nanoTime());

        until("the listener hears of the second listing", () -> changed.size() == 2);
        assertThat(changed.get(1)).containsExactlyInAnyOrder("a", "b", "d");
    }

    @Test
    void listsAgainEveryPeriod() throws Exception {
        start(Duration.ofMillis(20), Duration.ZERO);

        until("three listings", () -> listings.get() >= 3);

        assertThat(changed).isEmpty(); // nothing in the runtime, nothing changed
    }

    @Test
    void requestsWhileAListingRunsCoalesceIntoOneMore() throws Exception {
        start(NEVER, Duration.ZERO);
        relist.latest();
        gate = new CountDownLatch(1);
        entered = new CountDownLatch(1);
        relist.request();
        awaitLatch(entered); // the second listing runs and waits at the gate

        for (int i = 0; i < 50; i++) {
            relist.request();
        }
        gate.countDown();

        until("a third listing", () -> listings.get() == 3);
        relist.newerThan(System.nanoTime()); // a fourth, asked for after the third began
        assertThat(listings.get()).isEqualTo(4);
    }

    @Test
    void listingsAskedForAreAtLeastTheMinimumGapApart() throws Exception {
        Duration gap = Duration.ofMillis(200);
        start(NEVER, gap);
        RuntimeRelist.Snapshot first = relist.latest();

        RuntimeRelist.Snapshot second = relist.newerThan(System.nanoTime());
        RuntimeRelist.Snapshot third = relist.newerThan(System.nanoTime());

        assertThat(listings.get()).isEqualTo(3);
        assertThat(second.listedAt() - first.listedAt()).isGreaterThanOrEqualTo(gap.toNanos());
        assertThat(third.listedAt() - second.listedAt()).isGreaterThanOrEqualTo(gap.toNanos());
    }

    @Test
    void slowListingsAreFurtherApart() throws Exception {
        listingTime = Duration.ofMillis(20);
        start(Duration.ofMillis(1), Duration.ZERO);
        RuntimeRelist.Snapshot first = relist.latest();
        until("a periodic listing", () -> latest() != first);
        RuntimeRelist.Snapshot periodic = relist.latest();

        RuntimeRelist.Snapshot asked = relist.newerThan(System.nanoTime());
        RuntimeRelist.Snapshot askedAgain = relist.newerThan(System.nanoTime());

        // At most a twentieth of the time listing when nothing asks, a quarter when asked.
        assertThat(periodic.listedAt() - first.listedAt())
                .isGreaterThanOrEqualTo(RuntimeRelist.PERIODIC_SPACING * listingTime.toNanos());
        assertThat(askedAgain.listedAt() - asked.listedAt())
                .isGreaterThanOrEqualTo(RuntimeRelist.REQUESTED_SPACING * listingTime.toNanos());
    }

    @Test
    void newerThanWaitsForAListingThatBeganAfterwards() throws Exception {
        start(NEVER, Duration.ZERO);
        RuntimeRelist.Snapshot first = relist.latest();
        pods.put("a", ContainerState.RUNNING);
        long asked = System.nanoTime();

        RuntimeRelist.Snapshot newer = relist.newerThan(asked);

        assertThat(newer.listedAt()).isGreaterThanOrEqualTo(asked);
        assertThat(newer.uids()).containsExactly("a");
        assertThat(first.uids()).isEmpty();
        assertThat(relist.latest()).isSameAs(newer);
    }

    @Test
    void aFailedListingFailsItsReadersUntilOneSucceeds() throws Exception {
        start(NEVER, Duration.ZERO);
        relist.latest();
        failure = new ProviderException(ErrorCode.UNAVAILABLE, "Podman is down");

        assertThatThrownBy(() -> relist.newerThan(System.nanoTime())).hasMessage("Podman is down");
        assertThatThrownBy(relist::latest).hasMessage("Podman is down");

        failure = null;
        pods.put("a", ContainerState.RUNNING);
        assertThat(relist.newerThan(System.nanoTime()).uids()).containsExactly("a");
        assertThat(relist.latest().uids()).containsExactly("a");
    }

    @Test
    void aClosedRelistListsNoMore() throws Exception {
        start(NEVER, Duration.ZERO);
        relist.latest();
        relist.close();

        assertThatThrownBy(() -> relist.newerThan(System.nanoTime()))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("stopping");
        assertThat(listings.get()).isEqualTo(1);
    }

    private void start(Duration period, Duration minimumGap) {
        relist = new RuntimeRelist(
                labels -> {
                    assertThat(labels).isEqualTo(AGENT);
                    listings.incrementAndGet();
                    entered.countDown();
                    awaitLatch(gate);
                    if (!listingTime.isZero()) {
                        LockSupport.parkNanos(listingTime.toNanos());
                    }
                    if (failure != null) {
                        throw failure;
                    }
                    return new RuntimeListing(
                            pods.keySet().stream()
                                    .map(RuntimeRelistTest::sandbox)
                                    .toList(),
                            pods.entrySet().stream()
                                    .map(pod -> container(pod.getKey(), pod.getValue()))
                                    .toList());
                },
                AGENT,
                changed::add,
                period,
                minimumGap);
        relist.start();
    }

    private RuntimeRelist.Snapshot latest() {
        try {
            return relist.latest();
        } catch (ProviderException e) {
            throw new AssertionError(e);
        }
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

    private static ContainerSummary container(String uid, ContainerState state) {
        return new ContainerSummary(
                uid + "-container",
                "sandbox-" + uid,
                "app",
                0,
                state,
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

package dev.petlet.core.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.PodSandboxState;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PodSandboxSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservedStatusesTest {
    private final ObservedStatuses statuses = new ObservedStatuses();
    /** What the fake runtime's inspection answers, by id. */
    private final Map<String, ContainerState> containerStates = new HashMap<>();

    private final Map<String, PodSandboxState> sandboxStates = new HashMap<>();
    private final List<String> inspected = new ArrayList<>();

    @Test
    void inspectsEverythingOnTheFirstPass() throws Exception {
        runtimeHas("c1", ContainerState.RUNNING);
        sandboxStates.put("s1", PodSandboxState.READY);

        ObservedPod observed = observe(
                List.of(sandbox("s1", PodSandboxState.READY)), List.of(container("c1", ContainerState.RUNNING)));

        assertThat(inspected).containsExactly("s1", "c1");
        assertThat(observed.containers()).extracting(ContainerStatus::state).containsExactly(ContainerState.RUNNING);
        assertThat(observed.readySandbox()).isPresent();
    }

    @Test
    void reusesStatusesOfObjectsListedInTheSameState() throws Exception {
        runtimeHas("c1", ContainerState.RUNNING);
        sandboxStates.put("s1", PodSandboxState.READY);
        observe(List.of(sandbox("s1", PodSandboxState.READY)), List.of(container("c1", ContainerState.RUNNING)));
        inspected.clear();

        ObservedPod again = observe(
                List.of(sandbox("s1", PodSandboxState.READY)), List.of(container("c1", ContainerState.RUNNING)));

        assertThat(inspected).isEmpty();
        assertThat(again.containers()).extracting(ContainerStatus::id).containsExactly("c1");
        assertThat(again.sandboxes()).extracting(PodSandboxStatus::id).containsExactly("s1");
    }

    @Test
    void inspectsAgainWhatTheListingShowsInAnotherState() throws Exception {
        runtimeHas("c1", ContainerState.RUNNING);
        sandboxStates.put("s1", PodSandboxState.READY);
        observe(List.of(sandbox("s1", PodSandboxState.READY)), List.of(container("c1", ContainerState.RUNNING)));
        inspected.clear();
        runtimeHas("c1", ContainerState.EXITED);
        sandboxStates.put("s1", PodSandboxState.NOTREADY);

        ObservedPod after = observe(
                List.of(sandbox("s1", PodSandboxState.NOTREADY)), List.of(container("c1", ContainerState.EXITED)));

        assertThat(inspected).containsExactly("s1", "c1");
        assertThat(after.containers()).extracting(ContainerStatus::state).containsExactly(ContainerState.EXITED);
        assertThat(after.readySandbox()).isEmpty();
    }

    @Test
    void aStatusLaterInTheContainersLifeThanItsListingIsKept() throws Exception {
        // Listed running, but it exited before the inspection: a listing begun before that still
        // says running, and the runtime never restarts a container in place.
        runtimeHas("c1", ContainerState.EXITED);
        observe(List.of(), List.of(container("c1", ContainerState.RUNNING)));
        inspected.clear();

        ObservedPod again = observe(List.of(), List.of(container("c1", ContainerState.RUNNING)));
        observe(List.of(), List.of(container("c1", ContainerState.EXITED)));

        assertThat(inspected).isEmpty();
        assertThat(again.containers()).extracting(ContainerStatus::state).containsExactly(ContainerState.EXITED);
    }

    @Test
    void aListingLaterInTheContainersLifeThanItsStatusIsInspected() throws Exception {
        runtimeHas("c1", ContainerState.CREATED);
        observe(List.of(), List.of(container("c1", ContainerState.CREATED)));
        inspected.clear();
        runtimeHas("c1", ContainerState.RUNNING);

        ObservedPod again = observe(List.of(), List.of(container("c1", ContainerState.RUNNING)));

        assertThat(inspected).containsExactly("c1");
        assertThat(again.containers()).extracting(ContainerStatus::state).containsExactly(ContainerState.RUNNING);
    }

    @Test
    void whatAPassChangedIsInspectedWithoutAListing() throws Exception {
        runtimeHas("c1", ContainerState.RUNNING);
        sandboxStates.put("s1", PodSandboxState.READY);
        observe(List.of(sandbox("s1", PodSandboxState.READY)), List.of(container("c1", ContainerState.RUNNING)));
        inspected.clear();
        runtimeHas("c1", ContainerState.EXITED);
        runtimeHas("c2", ContainerState.RUNNING);
        RuntimeChanges changes = new RuntimeChanges();
        changes.container("c1");
        changes.container("c2");

        ObservedPod after = refresh(changes);

        assertThat(inspected).containsExactly("c1", "c2");
        assertThat(after.containers())
                .extracting(ContainerStatus::id, ContainerStatus::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("c1", ContainerState.EXITED),
                        org.assertj.core.groups.Tuple.tuple("c2", ContainerState.RUNNING));
        assertThat(after.readySandbox()).isPresent();
    }

    @Test
    void aCreatedSandboxsStatusIsTakenAsRead() throws Exception {
        RuntimeChanges changes = new RuntimeChanges();
        changes.sandbox("s1");
        changes.sandboxRead(sandboxStatus("s1", PodSandboxState.READY));

        ObservedPod after = refresh(changes);

        assertThat(inspected).isEmpty();
        assertThat(after.readySandbox()).isPresent();
    }

    @Test
    void whatAPassCreatedIsKeptUntilAListingBegunAfterwardsLeavesItOut() throws Exception {
        runtimeHas("c1", ContainerState.RUNNING);
        long before = System.nanoTime();
        RuntimeChanges changes = new RuntimeChanges();
        changes.container("c1");
        refresh(changes);
        inspected.clear();

        assertThat(observe(before, List.of(), List.of()).containers())
                .extracting(ContainerStatus::id)
                .containsExactly("c1");
        assertThat(observe(System.nanoTime(), List.of(), List.of()).containers())
                .isEmpty();
        assertThat(inspected).isEmpty();
    }

    @Test
    void whatAPassRemovedStaysGoneThoughAnOlderListingShowsIt() throws Exception {
        runtimeHas("c1", ContainerState.EXITED);
        sandboxStates.put("s1", PodSandboxState.NOTREADY);
        long before = System.nanoTime();
        observe(
                before,
                List.of(sandbox("s1", PodSandboxState.NOTREADY)),
                List.of(container("c1", ContainerState.EXITED)));
        RuntimeChanges changes = new RuntimeChanges();
        changes.removedSandbox("s1");
        assertThat(refresh(changes).isEmpty()).isTrue(); // the container went with its sandbox
        inspected.clear();

        ObservedPod stale = observe(
                before,
                List.of(sandbox("s1", PodSandboxState.NOTREADY)),
                List.of(container("c1", ContainerState.EXITED)));

        assertThat(stale.isEmpty()).isTrue();
        assertThat(inspected).isEmpty();
        ObservedPod newer = observe(
                System.nanoTime(),
                List.of(sandbox("s1", PodSandboxState.NOTREADY)),
                List.of(container("c1", ContainerState.EXITED)));
        // A listing begun after the removal that still shows them: they are there after all.
        assertThat(newer.containers()).extracting(ContainerStatus::id).containsExactly("c1");
    }

    @Test
    void whatTheRuntimeNoLongerHasIsForgottenWhenInspected() throws Exception {
        runtimeHas("c1", ContainerState.RUNNING);
        observe(List.of(), List.of(container("c1", ContainerState.RUNNING)));
        containerStates.remove("c1");
        RuntimeChanges changes = new RuntimeChanges();
        changes.container("c1");

        assertThat(refresh(changes).containers()).isEmpty();
    }

    @Test
    void forgetsWhatTheListingNoLongerShows() throws Exception {
        runtimeHas("c1", ContainerState.RUNNING);
        observe(List.of(), List.of(container("c1", ContainerState.RUNNING)));
        assertThat(observe(List.of(), List.of()).containers()).isEmpty();
        inspected.clear();

        observe(List.of(), List.of(container("c1", ContainerState.RUNNING)));

        assertThat(inspected).containsExactly("c1");
    }

    @Test
    void inspectsAContainerOfUnknownStateOnEveryPass() throws Exception {
        runtimeHas("c1", ContainerState.UNKNOWN);
        observe(List.of(), List.of(container("c1", ContainerState.UNKNOWN)));
        inspected.clear();

        observe(List.of(), List.of(container("c1", ContainerState.UNKNOWN)));

        assertThat(inspected).containsExactly("c1");
    }

    private ObservedPod observe(List<PodSandboxSummary> sandboxes, List<ContainerSummary> containers) throws Exception {
        return observe(System.nanoTime(), sandboxes, containers);
    }

    private ObservedPod refresh(RuntimeChanges changes) throws Exception {
        return statuses.refresh(
                changes,
                id -> {
                    inspected.add(id);
                    return sandboxStatus(id, sandboxStates.get(id));
                },
                id -> {
                    inspected.add(id);
                    return containerStatus(id, containerStates.get(id));
                });
    }

    private ObservedPod observe(long listedAt, List<PodSandboxSummary> sandboxes, List<ContainerSummary> containers)
            throws Exception {
        return statuses.observe(
                listedAt,
                sandboxes,
                containers,
                id -> {
                    inspected.add(id);
                    return sandboxStatus(id, sandboxStates.get(id));
                },
                id -> {
                    inspected.add(id);
                    return containerStatus(id, containerStates.get(id));
                });
    }

    private void runtimeHas(String id, ContainerState state) {
        containerStates.put(id, state);
    }

    private static PodSandboxSummary sandbox(String id, PodSandboxState state) {
        return new PodSandboxSummary(id, "uid", "default", "pod", 0, state, Instant.EPOCH, Map.of(), Map.of());
    }

    private static PodSandboxStatus sandboxStatus(String id, PodSandboxState state) {
        return new PodSandboxStatus(
                id, "uid", "default", "pod", 0, state, Instant.EPOCH, List.of("10.88.0.2"), false, Map.of(), Map.of());
    }

    private static ContainerSummary container(String id, ContainerState state) {
        return new ContainerSummary(
                id, "s1", "app", 0, state, Instant.EPOCH, "busybox", "sha256:1", Map.of(), Map.of());
    }

    private static ContainerStatus containerStatus(String id, ContainerState state)
            throws dev.petlet.spi.ProviderException {
        if (state == null) {
            throw new dev.petlet.spi.ProviderException(dev.petlet.spi.ErrorCode.NOT_FOUND, "no such container " + id);
        }
        boolean exited = state == ContainerState.EXITED;
        return new ContainerStatus(
                id,
                "s1",
                "app",
                0,
                state,
                Instant.EPOCH,
                Instant.EPOCH,
                exited ? Instant.EPOCH : null,
                exited ? 0 : null,
                exited ? ContainerStatus.REASON_COMPLETED : null,
                null,
                "busybox",
                "sha256:1",
                Map.of(),
                Map.of(),
                null);
    }
}

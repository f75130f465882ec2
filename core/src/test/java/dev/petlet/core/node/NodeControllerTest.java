package dev.petlet.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeControllerTest {
    private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeNodeApi api = new FakeNodeApi();
    private final TestClock clock = new TestClock(START);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile NodeFacts facts = NodeTestValues.facts();
    private NodeController controller = controller(NodeTestValues.settings());

    private NodeController controller(NodeSettings settings) {
        return new NodeController(
                api, settings, () -> facts, (type, reason, message) -> events.add(reason + ": " + message), clock);
    }

    /** Heartbeats fast enough for a test to watch several rounds. */
    private static NodeSettings fastSettings() {
        return new NodeTestValues.Settings()
                .heartbeats(new Heartbeats(
                        Duration.ofMillis(20), Duration.ofMinutes(5), Duration.ofSeconds(40), Duration.ofMillis(20)))
                .build();
    }

    @AfterEach
    void close() {
        controller.close();
    }

    private Optional<NodeCondition> ready() {
        return api.condition("Ready");
    }

    @Test
    void registrationRecordsTheConditionEventsTheKubeletRecords() {
        controller.registerNode();

        assertThat(controller.nodeUid())
                .isEqualTo(api.node().map(n -> n.getMetadata().getUid()));
        assertThat(events)
                .containsExactly(
                        "NodeHasSufficientMemory: Node pet-1 status is now: NodeHasSufficientMemory",
                        "NodeHasNoDiskPressure: Node pet-1 status is now: NodeHasNoDiskPressure",
                        "NodeHasSufficientPID: Node pet-1 status is now: NodeHasSufficientPID",
                        "NodeReady: Node pet-1 status is now: NodeReady");
    }

    @Test
    void patchesAnUnchangedStatusOnlyWhenTheReportFrequencyPassed() {
        controller.registerNode();

        clock.advance(Duration.ofSeconds(10));
        controller.syncStatus(false);
        clock.advance(Duration.ofMinutes(4));
        controller.syncStatus(false);
        assertThat(api.statusPatches()).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        controller.syncStatus(false);

        assertThat(api.statusPatches())
                .singleElement()
                .satisfies(patch -> assertThat(patch.changedFields()).containsExactly("conditions"));
        assertThat(ready().orElseThrow().getLastHeartbeatTime()).isEqualTo("2025-06-01T12:05:10Z");
        assertThat(ready().orElseThrow().getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
    }

    @Test
    void reportsARuntimeFailureAtOnceAndRecovery() {
        controller.registerNode();
        events.clear();

        clock.advance(Duration.ofSeconds(10));
        facts = new NodeTestValues.Facts()
                .runtimeProblem("container runtime is down: connection refused")
                .build();
        controller.syncStatus(false);

        assertThat(ready().orElseThrow().getStatus()).isEqualTo("False");
        assertThat(ready().orElseThrow().getMessage()).isEqualTo("container runtime is down: connection refused");
        assertThat(ready().orElseThrow().getLastTransitionTime()).isEqualTo("2025-06-01T12:00:10Z");
        assertThat(events).containsExactly("NodeNotReady: Node pet-1 status is now: NodeNotReady");

        clock.advance(Duration.ofSeconds(10));
        facts = NodeTestValues.facts();
        controller.syncStatus(false);

        assertThat(ready().orElseThrow().getStatus()).isEqualTo("True");
        assertThat(events).endsWith("NodeReady: Node pet-1 status is now: NodeReady");
    }

    @Test
    void adoptsANodeFromAnEarlierRunAndReportsItsStatusAtOnce() {
        controller.registerNode();
        controller.syncStatus(true);
        String uid = controller.nodeUid().orElseThrow();
        events.clear();

        NodeController second = controller(NodeTestValues.settings());
        clock.advance(Duration.ofSeconds(30));
        second.registerNode();
        second.syncStatus(false);

        assertThat(second.nodeUid()).contains(uid);
        assertThat(ready().orElseThrow().getStatus()).isEqualTo("True");
        assertThat(ready().orElseThrow().getLastTransitionTime()).isEqualTo("2025-06-01T12:00:30Z");
        assertThat(events).containsExactly("NodeReady: Node pet-1 status is now: NodeReady");
    }

    @Test
    void keepsConditionsOthersOwn() {
        controller.registerNode();
        Node node = api.node().orElseThrow();
        NodeStatus status = node.getStatus();
        status.getConditions()
                .add(new io.fabric8.kubernetes.api.model.NodeConditionBuilder()
                        .withType("NetworkUnavailable")
                        .withStatus("False")
                        .build());
        api.givenNode(new NodeBuilder(node).withStatus(status).build());

        clock.advance(Duration.ofMinutes(5));
        controller.syncStatus(false);

        assertThat(api.condition("NetworkUnavailable")).isPresent();
    }

    @Test
    void stoppingReportsNotReady() {
        controller.registerNode();

        controller.syncStatus(true);

        NodeCondition ready = ready().orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("KubeletNotReady");
        assertThat(ready.getMessage()).isEqualTo("petlet is stopping");
    }

    @Test
    void theLeaseNeedsARegisteredNode() {
        assertThatThrownBy(controller::renewLease)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("node pet-1 is not registered yet");
    }

    @Test
    void runsRegistrationLeaseAndStatusUntilClosedThenMarksTheNodeNotReady() throws InterruptedException {
        controller = controller(fastSettings());

        controller.start();

        assertThat(controller.awaitRegistration(WAIT)).isTrue();
        assertThat(api.await(a -> Collections.frequency(a.requests(), "update lease") >= 3, WAIT))
                .as("lease renewed repeatedly")
                .isTrue();
        assertThat(ready().orElseThrow().getStatus()).isEqualTo("True");

        controller.close();

        NodeCondition ready = ready().orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).isEqualTo("petlet is stopping");
        assertThat(events)
                .startsWith("Starting: Starting petlet.")
                .contains("NodeReady: Node pet-1 status is now: NodeReady")
                .endsWith("NodeNotReady: Node pet-1 status is now: NodeNotReady");
        int requestsAtClose = api.requests().size();
        assertThat(api.await(a -> a.requests().size() > requestsAtClose, Duration.ofMillis(200)))
                .as("no requests after close")
                .isFalse();
    }

    @Test
    void keepsRetryingThroughAnOutage() throws InterruptedException {
        controller = controller(fastSettings());
        api.unreachable();

        controller.start();

        assertThat(api.await(a -> Collections.frequency(a.requests(), "get node") >= 3, WAIT))
                .as("registration retried")
                .isTrue();
        assertThat(controller.nodeUid()).isEmpty();

        api.reachable();

        assertThat(controller.awaitRegistration(WAIT)).isTrue();
        assertThat(api.await(a -> a.lease().isPresent(), WAIT)).isTrue();
    }

    @Test
    void registersAgainWhenTheNodeIsDeleted() throws InterruptedException {
        controller = controller(fastSettings());
        controller.start();
        assertThat(controller.awaitRegistration(WAIT)).isTrue();
        String firstUid = controller.nodeUid().orElseThrow();

        api.deleteNode();
        clock.advance(Duration.ofMinutes(5)); // the next status report is due, and finds the Node gone

        assertThat(api.await(a -> a.node().isPresent(), WAIT)).isTrue();
        assertThat(api.await(
                        a -> a.lease()
                                .map(l -> !l.getMetadata()
                                        .getOwnerReferences()
                                        .get(0)
                                        .getUid()
                                        .equals(firstUid))
                                .orElse(false),
                        WAIT))
                .as("lease owned by the new Node")
                .isTrue();
    }

    @Test
    void cannotStartTwiceOrAfterClose() {
        controller.start();
        assertThatThrownBy(controller::start).isInstanceOf(IllegalStateException.class);

        controller.close();
        NodeController closed = controller(NodeTestValues.settings());
        closed.close();
        assertThatThrownBy(closed::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the node controller of pet-1 is closed");
    }

    @Test
    void labelsOnTheNodeComeFromSettingsAndTheMachine() {
        controller.registerNode();

        assertThat(api.node().orElseThrow().getMetadata().getLabels())
                .containsAllEntriesOf(Map.of("disk", "ssd", "kubernetes.io/arch", "amd64"));
    }
}

package dev.petlet.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.event.EventRecorder.RetryPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
    private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.890Z");
    private static final RetryPolicy FAST_RETRY = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(2));

    private final FakeEventSink sink = new FakeEventSink();
    private EventRecorder recorder = recorder(1000);

    private EventRecorder recorder(int queueCapacity) {
        return new EventRecorder(sink, "pet-1", Clock.fixed(NOW, ZoneOffset.UTC), queueCapacity, FAST_RETRY);
    }

    @AfterEach
    void closeRecorder() {
        recorder.close();
    }

    private static Pod pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web-1")
                .withUid("pod-uid")
                .endMetadata()
                .build();
    }

    @Test
    void writesAPodEventAsTheKubeletDoes() {
        recorder.podEvent(pod(), "spec.containers{app}", EventType.NORMAL, "Pulled", "Successfully pulled image");
        recorder.close();

        assertThat(sink.events()).singleElement().satisfies(event -> {
            assertThat(event.getMetadata().getNamespace()).isEqualTo("shop");
            assertThat(event.getMetadata().getName()).startsWith("web-1.");
            assertThat(event.getInvolvedObject().getKind()).isEqualTo("Pod");
            assertThat(event.getInvolvedObject().getApiVersion()).isEqualTo("v1");
            assertThat(event.getInvolvedObject().getUid()).isEqualTo("pod-uid");
            assertThat(event.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");
            assertThat(event.getType()).isEqualTo("Normal");
            assertThat(event.getReason()).isEqualTo("Pulled");
            assertThat(event.getMessage()).isEqualTo("Successfully pulled image");
            assertThat(event.getCount()).isEqualTo(1);
            assertThat(event.getFirstTimestamp()).isEqualTo("2025-03-04T05:06:07Z");
            assertThat(event.getLastTimestamp()).isEqualTo("2025-03-04T05:06:07Z");
            assertThat(event.getSource().getComponent()).isEqualTo("kubelet");
            assertThat(event.getSource().getHost()).isEqualTo("pet-1");
            assertThat(event.getReportingComponent()).isEqualTo("kubelet");
            assertThat(event.getReportingInstance()).isEqualTo("pet-1");
        });
    }

    @Test
    void writesNodeEventsToTheDefaultNamespaceWithTheNodeNameAsUid() {
        recorder.nodeEvent(EventType.NORMAL, "Starting", "Starting petlet.");
        recorder.close();

        Event event = sink.events().get(0);
        assertThat(event.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Node");
        assertThat(event.getInvolvedObject().getName()).isEqualTo("pet-1");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo("pet-1");
        assertThat(event.getInvolvedObject().getNamespace()).isNull();
    }

    @Test
    void foldsRepeatsIntoOneEventWithACount() {
        for (int i = 0; i < 3; i++) {
            recorder.podEvent(pod(), null, EventType.WARNING, "BackOff", "Back-off restarting failed container");
        }
        recorder.close();

        assertThat(sink.events()).singleElement().satisfies(event -> {
            assertThat(event.getCount()).isEqualTo(3);
            assertThat(event.getType()).isEqualTo("Warning");
        });
        String name = sink.events().get(0).getMetadata().getName();
        assertThat(sink.requests()).containsExactly("create " + name, "patch " + name, "patch " + name);
    }

    @Test
    void retriesTransientFailures() {
        sink.failNext(
                new KubernetesClientException("connection refused", 0, null),
                new KubernetesClientException("too many requests", 429, null),
                new KubernetesClientException("internal error", 500, null));

        recorder.nodeEvent(EventType.NORMAL, "NodeReady", "Node pet-1 status is now: NodeReady");
        recorder.close();

        assertThat(sink.events()).hasSize(1);
        assertThat(sink.requests()).hasSize(4);
    }

    @Test
    void givesUpAfterTheLastAttemptAndCreatesTheNextOccurrenceAnew() {
        KubernetesClientException down = new KubernetesClientException("connection refused", 0, null);
        sink.failNext(down, down, down, down);

        recorder.nodeEvent(EventType.NORMAL, "NodeReady", "ready");
        recorder.nodeEvent(EventType.NORMAL, "NodeReady", "ready");
        recorder.close();

        assertThat(sink.requests()).hasSize(5);
        assertThat(sink.events())
                .singleElement()
                .satisfies(event -> assertThat(event.getCount()).isEqualTo(1));
    }

    @Test
    void dropsAnEventTheServerRejectsWithoutRetrying() {
        sink.failNext(new KubernetesClientException("forbidden", 403, null));

        recorder.nodeEvent(EventType.NORMAL, "Starting", "Starting petlet.");
        recorder.nodeEvent(EventType.NORMAL, "Starting", "Starting petlet.");
        recorder.close();

        assertThat(sink.requests()).hasSize(2).allMatch(request -> request.startsWith("create "));
        assertThat(sink.events()).hasSize(1);
    }

    @Test
    void writesARepeatAnewWithItsCountWhenTheEventIsGoneFromTheServer() {
        sink.expireCreatedEvents();

        recorder.podEvent(pod(), null, EventType.WARNING, "BackOff", "back-off");
        recorder.podEvent(pod(), null, EventType.WARNING, "BackOff", "back-off");
        recorder.close();

        String name = sink.requests().get(0).substring("create ".length());
        assertThat(sink.requests()).containsExactly("create " + name, "patch " + name, "create " + name);
        assertThat(sink.events()).singleElement().satisfies(event -> {
            assertThat(event.getMetadata().getName()).isEqualTo(name);
            assertThat(event.getCount()).isEqualTo(2);
        });
    }

    @Test
    void neverBlocksTheCallerAndDropsWhatDoesNotFitTheQueue() {
        recorder.close();
        recorder = recorder(2);
        sink.holdRequests();

        for (int i = 0; i < 10; i++) {
            recorder.nodeEvent(EventType.NORMAL, "Reason", "message " + i);
        }
        sink.releaseRequests();
        recorder.close();

        // At most one in flight plus a full queue got through.
        assertThat(sink.events()).hasSizeBetween(2, 3);
    }

    @Test
    void dropsEventsRecordedAfterClose() {
        recorder.close();
        recorder.nodeEvent(EventType.NORMAL, "Starting", "Starting petlet.");

        assertThat(sink.events()).isEmpty();
    }

    @Test
    void closeGivesUpAtTheDeadlineWhenTheServerHangs() {
        sink.holdRequests();
        recorder.nodeEvent(EventType.NORMAL, "Starting", "Starting petlet.");

        Instant before = Instant.now();
        recorder.close(Duration.ofMillis(200));

        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(3));
        sink.releaseRequests();
    }

    @Test
    void copiesTheReferenceSoTheCallerMayReuseIt() {
        ObjectReference reference = EventRecorder.podReference(pod(), null);
        sink.holdRequests();
        recorder.event(reference, EventType.NORMAL, "Scheduled", "assigned");
        reference.setName("changed");
        sink.releaseRequests();
        recorder.close();

        assertThat(sink.events().get(0).getInvolvedObject().getName()).isEqualTo("web-1");
    }

    @Test
    void retryWaitsDoubleUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(12, Duration.ofMillis(500), Duration.ofSeconds(10));

        assertThat(List.of(2, 3, 4, 5, 6, 7, 12).stream().map(policy::delayBefore))
                .containsExactly(
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(10));
    }
}

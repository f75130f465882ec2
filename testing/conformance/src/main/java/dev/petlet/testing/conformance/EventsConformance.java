package dev.petlet.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.RuntimeEvent;
import dev.petlet.spi.runtime.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Runtime events: a subscriber sees a container start and die, with its exit code. */
public abstract class EventsConformance extends RuntimeConformance {
    @Test
    void aSubscriberSeesAContainerStartAndDie() throws Exception {
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        try (Subscription subscription = runtime.events(events::add)) {
            Created created = startContainer("events", workloads().printsThenExits("x", 4));

            await(
                    "the container's died event",
                    () -> events.stream()
                            .anyMatch(event -> event.type() == RuntimeEvent.Type.CONTAINER_DIED
                                    && created.containerId().equals(event.containerId())));

            List<RuntimeEvent> mine = events.stream()
                    .filter(event -> created.containerId().equals(event.containerId()))
                    .toList();
            assertThat(mine).extracting(RuntimeEvent::type).contains(RuntimeEvent.Type.CONTAINER_STARTED);
            assertThat(mine.stream()
                            .filter(event -> event.type() == RuntimeEvent.Type.CONTAINER_DIED)
                            .findFirst()
                            .orElseThrow()
                            .exitCode())
                    .isEqualTo(4);
        }
    }

    @Test
    void closingTheSubscriptionCompletesIt() throws Exception {
        Subscription subscription = runtime.events(event -> {});

        subscription.close();
        subscription.close();

        await(
                "the closed subscription to complete",
                () -> subscription.completion().toCompletableFuture().isDone());
    }
}

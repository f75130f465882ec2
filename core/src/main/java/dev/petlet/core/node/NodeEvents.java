package dev.petlet.core.node;

import dev.petlet.core.event.EventType;

/** Where the node controller reports node events ({@code Starting}, {@code NodeReady}): the event recorder. */
@FunctionalInterface
interface NodeEvents {
    void record(EventType type, String reason, String message);
}

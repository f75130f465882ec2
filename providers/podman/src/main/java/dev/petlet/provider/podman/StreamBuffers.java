package dev.petlet.provider.podman;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The buffers of connections to Podman. Netty 4.2's default adaptive allocator frees its direct memory chunks
 * often, and on Java 25 every free closes a shared memory arena, which waits for a handshake with every thread
 * of the JVM: on a busy machine a stream spent most of its time there. The pooled allocator keeps its chunks.
 */
final class StreamBuffers {
    static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    private StreamBuffers() {}
}

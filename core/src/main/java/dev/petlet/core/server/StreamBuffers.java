package dev.petlet.core.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The buffers of kubelet API connections (TLS records, stream frames). Netty 4.2's default adaptive allocator
 * frees its direct memory chunks often, and on Java 25 every free closes a shared memory arena, which waits for
 * a handshake with every thread of the JVM: on a busy machine exec and port-forward spent most of their time
 * there. The pooled allocator keeps its chunks.
 */
final class StreamBuffers {
    static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    private StreamBuffers() {}
}

package dev.petlet.core.stream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Backpressure for one upgraded connection, in both directions, in place of the protocols' own flow control
 * (Go's spdystream never sends WINDOW_UPDATE, so SPDY windows cannot be relied on).
 *
 * <p>Toward the client: worker threads {@link #send} frames and wait while more than {@link #MAX_IN_FLIGHT}
 * bytes are written but not yet handed to the socket, so a process or pod is read no faster than the client
 * takes the bytes. From the client: a buffer that fills up {@linkplain #pauseReading pauses reading} the
 * connection until it drains, so what the client sends waits in TCP rather than in memory.
 *
 * <p>Frames sent from worker threads are queued and written by one event-loop task, which flushes once for all
 * that queued up meanwhile: a process's output arrives in Podman's 8 KiB frames, and a write, flush and
 * event-loop wake-up each (with a TLS record and a system call) cost more CPU than the bytes themselves.
 */
final class FlowControl {
    /**
     * Bytes queued toward the client before writers wait: a few socket buffers' worth, and enough that a writer
     * rarely waits for the event loop to catch up on a busy machine.
     */
    static final int MAX_IN_FLIGHT = 1024 * 1024;

    private final ChannelHandlerContext ctx;
    private final Runnable activity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final Set<Object> readPausedBy = new HashSet<>();
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private long inFlight;
    private boolean closed;

    /**
     * @param ctx the context frames are written from (the session handler's own)
     * @param activity called for every frame sent, to keep the idle timer from firing
     */
    FlowControl(ChannelHandlerContext ctx, Runnable activity) {
        this.ctx = ctx;
        this.activity = activity;
    }

    /** The connection's buffer allocator (pooled), for bulk data read on worker threads. */
    ByteBufAllocator buffers() {
        return ctx.alloc();
    }

    /**
     * Writes and flushes a frame. On a worker thread, first waits until the bytes in flight drop below the limit;
     * on the event loop (small control messages) it never waits.
     *
     * @param bytes the payload size the frame counts for
     * @throws IOException if the connection is closed; the frame is released
     */
    void send(Object frame, int bytes) throws IOException {
        try {
            reserve(bytes, !ctx.executor().inEventLoop());
        } catch (IOException e) {
            ReferenceCountUtil.release(frame);
            throw e;
        }
        activity.run();
        if (ctx.executor().inEventLoop()) {
            drain(); // what workers queued goes first
            ctx.writeAndFlush(frame).addListener(future -> release(bytes));
            return;
        }
        pending.add(new Pending(frame, bytes));
        if (drainScheduled.compareAndSet(false, true)) {
            StreamThreads.onEventLoop(ctx.executor(), this::drain);
        }
    }

    /** Writes every queued frame in order and flushes once. Event loop. */
    private void drain() {
        drainScheduled.set(false); // a frame queued from now on schedules another drain
        boolean wrote = false;
        Pending next;
        while ((next = pending.poll()) != null) {
            int bytes = next.bytes();
            ctx.write(next.frame()).addListener(future -> release(bytes));
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private record Pending(Object frame, int bytes) {}

    private void reserve(int bytes, boolean mayWait) throws IOException {
        lock.lock();
        try {
            while (mayWait && !closed && inFlight > 0 && inFlight + bytes > MAX_IN_FLIGHT) {
                // The timeout only guards against a missed signal; writes complete or fail when the channel closes.
                room.await(1, TimeUnit.SECONDS);
            }
            if (closed) {
                throw new IOException("the client connection is closed");
            }
            inFlight += bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the client to read", e);
        } finally {
            lock.unlock();
        }
    }

    private void release(int bytes) {
        lock.lock();
        try {
            inFlight -= bytes;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes waiting writers and fails later sends; called when the channel closes. */
    void close() {
        lock.lock();
        try {
            closed = true;
            room.signalAll();
        } finally {
            lock.unlock();
        }
        Pending next;
        while ((next = pending.poll()) != null) {
            ReferenceCountUtil.release(next.frame());
        }
    }

    /** Stops reading from the client until every holder has {@linkplain #resumeReading resumed}. Any thread. */
    void pauseReading(Object holder) {
        onEventLoop(() -> {
            if (readPausedBy.add(holder) && readPausedBy.size() == 1) {
                ctx.channel().config().setAutoRead(false);
            }
        });
    }

    /** Withdraws a holder's {@link #pauseReading}; reading resumes when no holder is left. Any thread. */
    void resumeReading(Object holder) {
        onEventLoop(() -> {
            if (readPausedBy.remove(holder) && readPausedBy.isEmpty()) {
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    private void onEventLoop(Runnable task) {
        StreamThreads.onEventLoop(ctx.executor(), task);
    }
}

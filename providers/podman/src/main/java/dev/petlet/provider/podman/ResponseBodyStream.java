package dev.petlet.provider.podman;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body of a response as a blocking {@link InputStream}, filled by the channel's event loop and drained by
 * one reader thread. Reading from the socket pauses while more than {@link #PAUSE_ABOVE_BYTES} wait unread,
 * so a slow reader slows Podman down instead of filling memory. Closing it closes the connection.
 */
final class ResponseBodyStream extends InputStream {
    static final int PAUSE_ABOVE_BYTES = 1 << 20;
    static final int RESUME_BELOW_BYTES = 256 << 10;

    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private long queuedBytes;
    private boolean finished;
    private Throwable failure;
    private boolean closed;

    ResponseBodyStream(Channel channel) {
        this.channel = channel;
    }

    /** Adds bytes that arrived; called on the event loop. Takes its own reference to {@code data}. */
    void append(ByteBuf data) {
        if (!data.isReadable()) {
            return;
        }
        lock.lock();
        try {
            if (closed || finished) {
                return;
            }
            chunks.add(data.retain());
            queuedBytes += data.readableBytes();
            if (queuedBytes > PAUSE_ABOVE_BYTES) {
                channel.config().setAutoRead(false);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the end of the body: readers get end-of-stream after what is queued. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the body as broken: readers get an {@link IOException} after what is queued. */
    void fail(Throwable cause) {
        lock.lock();
        try {
            if (!finished) {
                failure = cause;
                finished = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int count = read(one, 0, 1);
        return count < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (chunks.isEmpty()) {
                if (closed) {
                    throw new IOException("stream closed");
                }
                if (finished) {
                    if (failure != null) {
                        throw new IOException("connection to Podman broke: " + failure, failure);
                    }
                    return -1;
                }
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading from Podman");
                }
            }
            // As much as is queued and fits: fewer, larger reads for the thread on the other side.
            int count = 0;
            while (count < length && !chunks.isEmpty()) {
                ByteBuf head = chunks.peek();
                int part = Math.min(length - count, head.readableBytes());
                head.readBytes(buffer, offset + count, part);
                count += part;
                if (!head.isReadable()) {
                    chunks.poll().release();
                }
            }
            queuedBytes -= count;
            if (queuedBytes < RESUME_BELOW_BYTES && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, queuedBytes);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the connection and drops unread bytes; a blocked reader gets an {@link IOException}. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            chunks.forEach(ByteBuf::release);
            chunks.clear();
            queuedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        channel.close();
    }
}

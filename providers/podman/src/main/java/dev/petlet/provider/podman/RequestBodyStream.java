package dev.petlet.provider.podman;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Raw bytes to Podman over a hijacked (upgraded) connection, e.g. a process's standard input. Writes are
 * pipelined: a write returns at once while less than {@link #MAX_IN_FLIGHT} bytes are on their way to the
 * socket, and waits otherwise, so a process that does not read slows the writer down without a round trip
 * per write. A failed write fails the next one. Closing waits for the last write, then half-closes the
 * connection: Podman passes end-of-file on to the process and keeps sending output.
 */
final class RequestBodyStream extends OutputStream {
    /** Bytes written but not yet in the socket before a writer waits. */
    static final int MAX_IN_FLIGHT = 1 << 20;

    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private long inFlight;
    private volatile boolean closed;
    private volatile Throwable failure;
    private ChannelFuture lastWrite;

    RequestBodyStream(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int value) throws IOException {
        write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (failure != null) {
            throw new IOException("could not write to Podman: " + failure, failure);
        }
        if (length == 0) {
            return;
        }
        reserve(length);
        ChannelFuture written = channel.writeAndFlush(Unpooled.copiedBuffer(buffer, offset, length));
        written.addListener(future -> {
            if (!future.isSuccess()) {
                failure = future.cause();
            }
            release(length);
        });
        synchronized (this) {
            lastWrite = written;
        }
    }

    private void reserve(int length) throws IOException {
        lock.lock();
        try {
            while (inFlight > 0 && inFlight + length > MAX_IN_FLIGHT && failure == null) {
                // The timeout only guards against a missed signal; writes complete or fail when the channel closes.
                drained.await(1, TimeUnit.SECONDS);
            }
            inFlight += length;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to write to Podman");
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            throw new IOException("could not write to Podman: " + failure, failure);
        }
    }

    private void release(int length) {
        lock.lock();
        try {
            inFlight -= length;
            drained.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        ChannelFuture last;
        synchronized (this) {
            last = lastWrite;
        }
        if (last != null) {
            // Shutting the output down fails writes still queued: let the last one reach the socket first.
            await(last, "write to Podman");
        }
        if (channel.isActive() && channel instanceof DuplexChannel duplex) {
            await(duplex.shutdownOutput(), "close the input stream to Podman");
        }
    }

    private static void await(ChannelFuture future, String action) throws IOException {
        try {
            future.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while trying to " + action);
        }
        if (!future.isSuccess()) {
            throw new IOException("could not " + action + ": " + future.cause(), future.cause());
        }
    }
}

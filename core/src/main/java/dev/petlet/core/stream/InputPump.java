package dev.petlet.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries bytes from the client to a blocking stream (a process's standard input, a pod's socket) on its own
 * thread. Bytes may arrive before the target exists; they wait, and while more than {@link #HIGH_WATER} bytes
 * wait, reading from the client pauses. End of input closes the target once everything before it was written.
 * If the target fails, the rest is discarded: the process stopped reading, the session goes on.
 */
final class InputPump {
    private static final Logger LOG = LoggerFactory.getLogger(InputPump.class);
    /**
     * Queued bytes above which reading from the client pauses. Large enough that the copy to a process does
     * not go stop-and-go: every pause and resume is a round trip through the event loop, the runtime and the
     * process, which takes milliseconds on a busy machine.
     */
    static final int HIGH_WATER = 2 * 1024 * 1024;

    static final int LOW_WATER = 512 * 1024;
    /** Most queued bytes joined into one write to the target: fewer, larger writes. */
    static final int MAX_WRITE = 256 * 1024;

    private final String name;
    private final FlowControl flow;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queued;
    private boolean ended;
    private boolean stopped;
    private boolean started;
    private boolean pausing;

    /**
     * @param name what the bytes go to, for logs
     * @param flow the connection's flow control, paused while this pump is full
     */
    InputPump(String name, FlowControl flow) {
        this.name = name;
        this.flow = flow;
    }

    /** Queues a copy of the readable bytes. Any thread; never blocks. */
    void offer(ByteBuf data) {
        if (!data.isReadable()) {
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(data);
        boolean pause = false;
        lock.lock();
        try {
            if (stopped || ended) {
                return;
            }
            queue.add(bytes);
            queued += bytes.length;
            if (queued > HIGH_WATER && !pausing) {
                pausing = true;
                pause = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (pause) {
            flow.pauseReading(this);
        }
    }

    /** Marks the end of input: the target is closed after the queued bytes. Idempotent. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Starts writing to the target on a new thread. At most once. */
    void start(OutputStream target) {
        lock.lock();
        try {
            if (started || stopped) {
                return;
            }
            started = true;
        } finally {
            lock.unlock();
        }
        StreamThreads.start(() -> run(target));
    }

    /** Discards what is queued and stops; the target is left open (its owner closes it). Idempotent, any thread. */
    void stop() {
        boolean resume;
        lock.lock();
        try {
            stopped = true;
            queue.clear();
            queued = 0;
            resume = pausing;
            pausing = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (resume) {
            flow.resumeReading(this);
        }
    }

    private void run(OutputStream target) {
        try {
            byte[] chunk;
            while ((chunk = next()) != null) {
                target.write(chunk);
                target.flush();
            }
            if (!isStopped()) {
                target.close();
            }
        } catch (IOException e) {
            LOG.debug("stopped writing to {}: {}", name, e.toString());
            stop();
        } catch (InterruptedException e) {
            stop();
        }
    }

    /** The next chunk, or null at the end of input or once stopped. */
    private byte[] next() throws InterruptedException {
        boolean resume = false;
        byte[] chunk;
        lock.lock();
        try {
            while (queue.isEmpty() && !ended && !stopped) {
                changed.await();
            }
            if (stopped) {
                return null;
            }
            chunk = queue.poll();
            if (chunk != null && !queue.isEmpty() && chunk.length + queue.peek().length <= MAX_WRITE) {
                chunk = join(chunk);
            }
            if (chunk != null) {
                queued -= chunk.length;
                if (pausing && queued <= LOW_WATER) {
                    pausing = false;
                    resume = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (resume) {
            flow.resumeReading(this);
        }
        return chunk;
    }

    /** The first chunk and those queued after it, up to {@link #MAX_WRITE} bytes; the lock is held. */
    private byte[] join(byte[] first) {
        int total = first.length;
        int count = 0;
        for (byte[] next : queue) {
            if (total + next.length > MAX_WRITE) {
                break;
            }
            total += next.length;
            count++;
        }
        byte[] joined = Arrays.copyOf(first, total);
        int offset = first.length;
        for (int i = 0; i < count; i++) {
            byte[] next = queue.poll();
            System.arraycopy(next, 0, joined, offset, next.length);
            offset += next.length;
        }
        return joined;
    }

    private boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }
}

package dev.petlet.provider.podman;

import dev.petlet.spi.runtime.LogFrame;
import dev.petlet.spi.runtime.LogOptions;
import dev.petlet.spi.runtime.LogSink;
import dev.petlet.spi.runtime.StreamType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's log straight from its file in the CRI format ({@link CriLogRecord}), as the kubelet does:
 * Podman 4.3's own {@code follow} stops early when the container exits or writes fast, its timestamps have
 * only whole seconds, and it is slower. Applies {@link LogOptions} itself: streams, {@code tailLines}
 * (counted in records of the selected streams), {@code since}, {@code limitBytes} (the frame that crosses it
 * is cut) and {@code follow}, which reads on as the file grows until the {@link Growth} says the container
 * stopped, then reads what it wrote last and ends.
 *
 * <p>Without timestamps, consecutive lines of one stream that are already in the file go out as one frame of
 * up to {@link #MAX_FRAME_BYTES}: the client gets fewer, larger writes. With timestamps every record is a
 * frame of its own. If the file shrinks (the runtime truncated it), reading starts over at its beginning.
 */
final class ContainerLogFile {
    /** How the reader waits for more output while following. */
    @FunctionalInterface
    interface Growth {
        /**
         * Waits until the file may have grown, or a moment passed. Returns false once the container has
         * stopped, so nothing more will be written.
         */
        boolean await() throws IOException, InterruptedException;
    }

    static final int MAX_FRAME_BYTES = 64 << 10;
    private static final int INITIAL_BUFFER_BYTES = 64 << 10;
    /** A "line" longer than this is no CRI record (conmon splits output into records of 8 KiB): skipped. */
    private static final int MAX_LINE_BYTES = 1 << 20;

    private final FileChannel channel;
    private final LogOptions options;
    private final LogSink sink;
    private final BooleanSupplier closed;
    private byte[] buffer = new byte[INITIAL_BUFFER_BYTES];
    private int bufferEnd;
    private long bufferPosition;
    private boolean skippingLongLine;
    private long remaining;
    private final byte[] pending = new byte[MAX_FRAME_BYTES];
    private int pendingLength;
    private StreamType pendingStream;

    private ContainerLogFile(FileChannel channel, LogOptions options, LogSink sink, BooleanSupplier closed) {
        this.channel = channel;
        this.options = options;
        this.sink = sink;
        this.closed = closed;
        this.remaining = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
    }

    /**
     * Delivers the log of the file to the sink, following it while {@code options.follow()} and the growth
     * says the container runs. Returns at the end, once the limit is reached, or once {@code closed} is true.
     * Exceptions of the sink are thrown wrapped in {@link ExchangeSubscription.SinkException}.
     */
    static void deliver(Path file, LogOptions options, LogSink sink, BooleanSupplier closed, Growth growth)
            throws IOException, InterruptedException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            new ContainerLogFile(channel, options, sink, closed).run(growth);
        }
    }

    private void run(Growth growth) throws IOException, InterruptedException {
        bufferPosition = startPosition(channel.size());
        while (!done()) {
            readAvailable();
            if (done() || !options.follow()) {
                return;
            }
            if (!growth.await()) {
                readAvailable(); // what the container wrote just before it stopped
                return;
            }
        }
    }

    private boolean done() {
        return remaining <= 0 || closed.getAsBoolean();
    }

    /** Delivers every complete record now in the file. */
    private void readAvailable() throws IOException {
        if (channel.size() < bufferPosition + bufferEnd) {
            bufferPosition = 0; // truncated: start over
            bufferEnd = 0;
            skippingLongLine = false;
        }
        while (!done()) {
            if (bufferEnd == buffer.length) {
                if (buffer.length < MAX_LINE_BYTES) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                } else {
                    skippingLongLine = true;
                    bufferPosition += bufferEnd;
                    bufferEnd = 0;
                }
            }
            int read = channel.read(
                    ByteBuffer.wrap(buffer, bufferEnd, buffer.length - bufferEnd), bufferPosition + bufferEnd);
            if (read <= 0) {
                break;
            }
            bufferEnd += read;
            int consumed = consumeLines();
            if (consumed > 0) {
                System.arraycopy(buffer, consumed, buffer, 0, bufferEnd - consumed);
                bufferEnd -= consumed;
                bufferPosition += consumed;
            }
        }
        flushPending();
    }

    /** Handles the complete lines at the start of the buffer; returns how many bytes they took. */
    private int consumeLines() throws IOException {
        int start = 0;
        for (int i = 0; i < bufferEnd && !done(); i++) {
            if (buffer[i] != '\n') {
                continue;
            }
            if (skippingLongLine) {
                skippingLongLine = false;
            } else {
                handle(start, i - start);
            }
            start = i + 1;
        }
        return start;
    }

    private void handle(int offset, int length) throws IOException {
        byte[] line = buffer;
        CriLogRecord record = CriLogRecord.parse(line, offset, length, options.timestamps() || options.since() != null);
        if (record == null || !selected(record.stream())) {
            return;
        }
        if (options.since() != null && record.timestamp().isBefore(options.since())) {
            return;
        }
        int outputLength = (int) Math.min(record.outputLength(), remaining);
        if (options.timestamps()) {
            byte[] data = new byte[outputLength];
            copyOutput(line, record, data, 0, outputLength);
            remaining -= outputLength;
            deliver(new LogFrame(record.stream(), record.timestamp(), data));
            return;
        }
        if (pendingLength > 0 && (pendingStream != record.stream() || pendingLength + outputLength > pending.length)) {
            flushPending();
        }
        if (outputLength > pending.length) {
            byte[] data = new byte[outputLength];
            copyOutput(line, record, data, 0, outputLength);
            remaining -= outputLength;
            deliver(new LogFrame(record.stream(), null, data));
            return;
        }
        copyOutput(line, record, pending, pendingLength, outputLength);
        pendingLength += outputLength;
        pendingStream = record.stream();
        remaining -= outputLength;
    }

    /** The record's content plus its newline, the first {@code length} bytes of it, into {@code target}. */
    private static void copyOutput(byte[] line, CriLogRecord record, byte[] target, int targetOffset, int length) {
        int fromContent = Math.min(length, record.contentLength());
        System.arraycopy(line, record.contentOffset(), target, targetOffset, fromContent);
        if (length > fromContent) {
            target[targetOffset + fromContent] = '\n';
        }
    }

    private void flushPending() throws IOException {
        if (pendingLength == 0) {
            return;
        }
        byte[] data = Arrays.copyOf(pending, pendingLength);
        pendingLength = 0;
        deliver(new LogFrame(pendingStream, null, data));
    }

    private void deliver(LogFrame frame) throws IOException {
        try {
            sink.accept(frame);
        } catch (IOException | RuntimeException e) {
            throw new ExchangeSubscription.SinkException(e);
        }
    }

    private boolean selected(StreamType stream) {
        return stream == StreamType.STDOUT ? options.stdout() : options.stderr();
    }

    /** Where reading starts: the beginning, or the start of the n-th last selected record for tailLines = n. */
    private long startPosition(long size) throws IOException {
        Integer tail = options.tailLines();
        if (tail == null) {
            return 0;
        }
        if (tail == 0) {
            return completeLinesEnd(size);
        }
        long[] starts = new long[tail];
        int count = 0;
        byte[] chunk = new byte[INITIAL_BUFFER_BYTES];
        byte[] line = new byte[256];
        int lineLength = 0;
        long lineStart = 0;
        long position = 0;
        while (position < size) {
            int read = channel.read(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, size - position)), position);
            if (read <= 0) {
                break;
            }
            for (int i = 0; i < read; i++) {
                if (chunk[i] == '\n') {
                    // Only the stream name matters here: look at the start of the line.
                    CriLogRecord record = CriLogRecord.parse(line, 0, Math.min(lineLength, line.length), false);
                    if (record != null && selected(record.stream())) {
                        starts[count % tail] = lineStart;
                        count++;
                    }
                    lineLength = 0;
                    lineStart = position + i + 1;
                } else {
                    if (lineLength < line.length) {
                        line[lineLength] = chunk[i];
                    }
                    lineLength++;
                }
            }
            position += read;
        }
        return count <= tail ? 0 : starts[count % tail];
    }

    /** The end of the last complete line before {@code size}: where "no old lines" starts. */
    private long completeLinesEnd(long size) throws IOException {
        long position = size;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (position > 0) {
            one.clear();
            if (channel.read(one, position - 1) <= 0) {
                return position;
            }
            if (one.get(0) == '\n') {
                return position;
            }
            position--;
        }
        return 0;
    }
}

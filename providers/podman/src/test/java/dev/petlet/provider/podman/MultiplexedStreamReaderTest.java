package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.runtime.StreamType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiplexedStreamReaderTest {

    @Test
    void readsFramesOfBothStreamsInOrder() throws IOException {
        byte[] stream = concat(frame(1, "out\n"), frame(2, "err\n"), frame(1, ""));

        List<MultiplexedStreamReader.Frame> frames = readAll(new ByteArrayInputStream(stream));

        assertThat(frames)
                .extracting(MultiplexedStreamReader.Frame::streamType)
                .containsExactly(StreamType.STDOUT, StreamType.STDERR, StreamType.STDOUT);
        assertThat(frames)
                .extracting(frame -> new String(frame.payload(), StandardCharsets.UTF_8))
                .containsExactly("out\n", "err\n", "");
    }

    @Test
    void reassemblesFramesSplitAcrossReadsAtEveryPosition() throws IOException {
        byte[] stream = concat(frame(1, "hello\n"), frame(2, "x".repeat(70_000)), frame(1, "bye"));

        List<MultiplexedStreamReader.Frame> frames = readAll(new TrickleInputStream(stream, 3));

        assertThat(frames).hasSize(3);
        assertThat(frames.get(1).payload()).hasSize(70_000);
        assertThat(new String(frames.get(2).payload(), StandardCharsets.UTF_8)).isEqualTo("bye");
    }

    @Test
    void oneByteAtATimeStillYieldsWholeFrames() throws IOException {
        byte[] stream = concat(frame(2, "split"), frame(1, "me"));

        List<MultiplexedStreamReader.Frame> frames = readAll(new TrickleInputStream(stream, 1));

        assertThat(frames)
                .extracting(frame -> new String(frame.payload(), StandardCharsets.UTF_8))
                .containsExactly("split", "me");
    }

    @Test
    void lengthIsAnUnsignedBigEndianInteger() throws IOException {
        byte[] payload = new byte[0x01_02_03];
        byte[] header = {1, 0, 0, 0, 0x00, 0x01, 0x02, 0x03};

        MultiplexedStreamReader.Frame frame =
                new MultiplexedStreamReader(new ByteArrayInputStream(concat(header, payload))).next();

        assertThat(frame.payload()).hasSize(0x01_02_03);
    }

    @Test
    void unknownStreamIdsHaveNoStreamType() throws IOException {
        MultiplexedStreamReader.Frame frame =
                new MultiplexedStreamReader(new ByteArrayInputStream(frame(3, "podman error"))).next();

        assertThat(frame.streamId()).isEqualTo(3);
        assertThat(frame.streamType()).isNull();
    }

    @Test
    void endInsideHeaderOrPayloadIsAnError() {
        byte[] whole = frame(1, "payload");

        assertThatThrownBy(() -> new MultiplexedStreamReader(new ByteArrayInputStream(whole, 0, 5)).next())
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("header");
        assertThatThrownBy(() -> new MultiplexedStreamReader(new ByteArrayInputStream(whole, 0, 10)).next())
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("inside a frame");
    }

    @Test
    void implausibleLengthsAreRejected() {
        byte[] header = {1, 0, 0, 0, (byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};

        assertThatThrownBy(() -> new MultiplexedStreamReader(new ByteArrayInputStream(header)).next())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("implausibly large");
    }

    static byte[] frame(int stream, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[8 + bytes.length];
        frame[0] = (byte) stream;
        frame[4] = (byte) (bytes.length >>> 24);
        frame[5] = (byte) (bytes.length >>> 16);
        frame[6] = (byte) (bytes.length >>> 8);
        frame[7] = (byte) bytes.length;
        System.arraycopy(bytes, 0, frame, 8, bytes.length);
        return frame;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static List<MultiplexedStreamReader.Frame> readAll(InputStream input) throws IOException {
        MultiplexedStreamReader reader = new MultiplexedStreamReader(input);
        List<MultiplexedStreamReader.Frame> frames = new ArrayList<>();
        MultiplexedStreamReader.Frame frame;
        while ((frame = reader.next()) != null) {
            frames.add(frame);
        }
        return frames;
    }

    /** Hands out at most {@code step} bytes per read, like a socket delivering small packets. */
    static final class TrickleInputStream extends InputStream {
        private final byte[] data;
        private final int step;
        private int position;

        TrickleInputStream(byte[] data, int step) {
            this.data = data;
            this.step = step;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= data.length) {
                return -1;
            }
            int count = Math.min(Math.min(length, step), data.length - position);
            System.arraycopy(data, position, buffer, offset, count);
            position += count;
            return count;
        }
    }
}

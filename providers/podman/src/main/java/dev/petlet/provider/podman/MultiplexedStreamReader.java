package dev.petlet.provider.podman;

import dev.petlet.spi.runtime.StreamType;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads Podman's multiplexed stream format (logs, and exec and attach without a terminal): frames of an
 * 8-byte header, {@code [stream id, 0, 0, 0, length as big-endian uint32]}, then {@code length} bytes of
 * payload. Stream ids: 1 standard output, 2 standard error, 3 an error message from Podman itself. Frames
 * may arrive split across any number of reads; reading blocks until a frame is complete.
 */
final class MultiplexedStreamReader {
    static final int HEADER_BYTES = 8;
    static final int MAX_FRAME_BYTES = 16 << 20;

    /** One frame: its stream id and payload. */
    record Frame(int streamId, byte[] payload) {
        /** The SPI stream of this frame, or null for ids other than standard output and error. */
        StreamType streamType() {
            return switch (streamId) {
                case 1 -> StreamType.STDOUT;
                case 2 -> StreamType.STDERR;
                default -> null;
            };
        }
    }

    private final InputStream input;

    MultiplexedStreamReader(InputStream input) {
        this.input = input;
    }

    /** The next frame, or null at a clean end of the stream (between frames). */
    Frame next() throws IOException {
        byte[] header = input.readNBytes(HEADER_BYTES);
        if (header.length == 0) {
            return null;
        }
        if (header.length < HEADER_BYTES) {
            throw new EOFException("stream from Podman ended inside a frame header");
        }
        long length = ((header[4] & 0xffL) << 24)
                | ((header[5] & 0xffL) << 16)
                | ((header[6] & 0xffL) << 8)
                | (header[7] & 0xffL);
        if (length > MAX_FRAME_BYTES) {
            throw new IOException(
                    "frame from Podman is implausibly large (" + length + " bytes): not a multiplexed stream?");
        }
        byte[] payload = input.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("stream from Podman ended inside a frame");
        }
        return new Frame(header[0] & 0xff, payload);
    }
}

package dev.petlet.provider.podman;

import dev.petlet.spi.runtime.StreamType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One line of a container log file in the CRI format that Podman's {@code k8s-file} driver writes (the format
 * the kubelet reads): {@code <RFC 3339 time with nanoseconds> <stdout|stderr> <F|P> <content>}. {@code F}
 * marks the end of a line, {@code P} a piece of a longer one (or output without a trailing newline); the
 * content never includes the newline.
 *
 * @param timestamp null unless asked for
 * @param contentOffset where the content starts in the parsed bytes
 * @param contentLength how many bytes of content there are
 */
record CriLogRecord(Instant timestamp, StreamType stream, boolean partial, int contentOffset, int contentLength) {

    /**
     * Parses one line without its newline, {@code bytes[offset, offset + length)}; null if it is not a CRI log
     * record (a corrupt or foreign line is skipped, as the kubelet does). The content offset is into {@code
     * bytes}.
     */
    static CriLogRecord parse(byte[] line, int offset, int length) {
        return parse(line, offset, length, true);
    }

    /**
     * As {@link #parse(byte[], int, int)}; without {@code withTime} the timestamp is only checked for its
     * place and left null, which saves parsing it for every line of a large log.
     */
    static CriLogRecord parse(byte[] line, int offset, int length, boolean withTime) {
        length = offset + length;
        int timeEnd = indexOf(line, offset, length, (byte) ' ');
        if (timeEnd <= offset) {
            return null;
        }
        int streamEnd = indexOf(line, timeEnd + 1, length, (byte) ' ');
        if (streamEnd < 0) {
            return null;
        }
        StreamType stream;
        if (matches(line, timeEnd + 1, streamEnd, "stdout")) {
            stream = StreamType.STDOUT;
        } else if (matches(line, timeEnd + 1, streamEnd, "stderr")) {
            stream = StreamType.STDERR;
        } else {
            return null;
        }
        int tagStart = streamEnd + 1;
        int tagEnd = indexOf(line, tagStart, length, (byte) ' ');
        int contentOffset;
        if (tagEnd < 0) {
            // "<time> stdout F" with empty content and no space after the tag.
            tagEnd = length;
            contentOffset = length;
        } else {
            contentOffset = tagEnd + 1;
        }
        if (tagEnd - tagStart != 1 || (line[tagStart] != 'F' && line[tagStart] != 'P')) {
            return null;
        }
        Instant timestamp = null;
        if (withTime) {
            try {
                timestamp = OffsetDateTime.parse(
                                new String(line, offset, timeEnd - offset, StandardCharsets.US_ASCII),
                                DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException notATime) {
                return null;
            }
        }
        return new CriLogRecord(timestamp, stream, line[tagStart] == 'P', contentOffset, length - contentOffset);
    }

    /** The bytes a reader of the log sees for this record: the content, plus the newline of a full line. */
    int outputLength() {
        return contentLength + (partial ? 0 : 1);
    }

    private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(byte[] bytes, int from, int to, String ascii) {
        if (to - from != ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (bytes[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

package dev.petlet.spi.runtime;

import java.time.Instant;

/**
 * What part of a container's log {@link ContainerRuntime#logs} delivers.
 *
 * @param follow whether to keep delivering new output until the container stops or the subscription is
 *     closed; otherwise stop at the current end of the log
 * @param tailLines nullable: start this many lines before the end, or {@code null} for the whole log
 * @param timestamps whether to fill in {@link LogFrame#timestamp()}
 * @param since nullable: only output written at or after this time, or {@code null} for all
 * @param limitBytes nullable: stop after delivering this many bytes of output, or {@code null} for no limit
 * @param stdout whether to include standard output
 * @param stderr whether to include standard error
 */
public record LogOptions(
        boolean follow,
        Integer tailLines,
        boolean timestamps,
        Instant since,
        Long limitBytes,
        boolean stdout,
        boolean stderr) {
    /** The whole log, both streams, without timestamps, not following. */
    public static final LogOptions ALL = new LogOptions(false, null, false, null, null, true, true);

    public LogOptions {
        if (tailLines != null && tailLines < 0) {
            throw new IllegalArgumentException("tailLines must not be negative, was " + tailLines);
        }
        if (limitBytes != null && limitBytes <= 0) {
            throw new IllegalArgumentException("limitBytes must be positive, was " + limitBytes);
        }
        if (!stdout && !stderr) {
            throw new IllegalArgumentException("select at least one of stdout and stderr");
        }
    }

    /** These options, following or not. */
    public LogOptions withFollow(boolean follow) {
        return new LogOptions(follow, tailLines, timestamps, since, limitBytes, stdout, stderr);
    }

    /** These options, starting the given number of lines before the end. */
    public LogOptions withTailLines(Integer tailLines) {
        return new LogOptions(follow, tailLines, timestamps, since, limitBytes, stdout, stderr);
    }

    /** These options, with or without timestamps. */
    public LogOptions withTimestamps(boolean timestamps) {
        return new LogOptions(follow, tailLines, timestamps, since, limitBytes, stdout, stderr);
    }

    /** These options, from the given time on. */
    public LogOptions withSince(Instant since) {
        return new LogOptions(follow, tailLines, timestamps, since, limitBytes, stdout, stderr);
    }

    /** These options, stopping after the given number of bytes. */
    public LogOptions withLimitBytes(Long limitBytes) {
        return new LogOptions(follow, tailLines, timestamps, since, limitBytes, stdout, stderr);
    }

    /** These options, selecting the given streams. */
    public LogOptions withStreams(boolean stdout, boolean stderr) {
        return new LogOptions(follow, tailLines, timestamps, since, limitBytes, stdout, stderr);
    }
}

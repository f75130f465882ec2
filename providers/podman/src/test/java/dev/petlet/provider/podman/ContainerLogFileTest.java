package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.LogFrame;
import dev.petlet.spi.runtime.LogOptions;
import dev.petlet.spi.runtime.StreamType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogFileTest {
    private static final String T1 = "2026-11-21T11:00:04.260437719+00:00";
    private static final String T2 = "2026-11-21T11:00:05.000000001+00:00";
    private static final String T3 = "2026-11-21T11:00:07.5+00:00";

    @TempDir
    Path folder;

    private final List<LogFrame> delivered = new ArrayList<>();

    private Path log(String... lines) throws IOException {
        return Files.writeString(folder.resolve("ctr.log"), String.join("", lines));
    }

    private void read(Path file, LogOptions options) throws Exception {
        ContainerLogFile.deliver(file, options, delivered::add, () -> false, () -> false);
    }

    private String text() {
        return delivered.stream()
                .map(frame -> new String(frame.data(), StandardCharsets.UTF_8))
                .collect(Collectors.joining());
    }

    @Test
    void parsesARecordWithNanosecondsStreamAndTag() {
        byte[] line = ("x" + T1 + " stderr P half").getBytes(StandardCharsets.US_ASCII);

        CriLogRecord record = CriLogRecord.parse(line, 1, line.length - 1);

        assertThat(record.timestamp()).isEqualTo(Instant.parse("2026-11-21T11:00:04.260437719Z"));
        assertThat(record.stream()).isEqualTo(StreamType.STDERR);
        assertThat(record.partial()).isTrue();
        assertThat(new String(line, record.contentOffset(), record.contentLength(), StandardCharsets.US_ASCII))
                .isEqualTo("half");
        assertThat(record.outputLength()).isEqualTo(4);
        assertThat(CriLogRecord.parse(line, 1, line.length - 1, false).timestamp())
                .isNull();
    }

    @Test
    void rejectsWhatIsNoRecord() {
        for (String line :
                new String[] {"", "garbage", T1 + " stdin F x", T1 + " stdout X x", "yesterday stdout F x"}) {
            byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
            assertThat(CriLogRecord.parse(bytes, 0, bytes.length)).as(line).isNull();
        }
        byte[] empty = (T1 + " stdout F").getBytes(StandardCharsets.US_ASCII);
        assertThat(CriLogRecord.parse(empty, 0, empty.length).outputLength()).isEqualTo(1);
    }

    @Test
    void fullLinesGetTheirNewlineAndPartialOnesJoinTheNext() throws Exception {
        Path file = log(
                T1 + " stdout F one\n",
                T1 + " stdout P par\n",
                T1 + " stdout F tial\n",
                T2 + " stderr F err\n",
                "not a record\n",
                T3 + " stdout P no newline\n");

        read(file, LogOptions.ALL);

        assertThat(text()).isEqualTo("one\npartial\nerr\nno newline");
        // Lines of one stream that were in the file together go out together.
        assertThat(delivered)
                .extracting(LogFrame::stream)
                .containsExactly(StreamType.STDOUT, StreamType.STDERR, StreamType.STDOUT);
    }

    @Test
    void selectsStreamsAndTailsInLinesOfThoseStreams() throws Exception {
        Path file = log(
                T1 + " stdout F 1\n",
                T1 + " stderr F e1\n",
                T2 + " stdout F 2\n",
                T2 + " stderr F e2\n",
                T3 + " stdout F 3\n");

        read(file, LogOptions.ALL.withStreams(true, false).withTailLines(2));
        assertThat(text()).isEqualTo("2\n3\n");

        delivered.clear();
        read(file, LogOptions.ALL.withTailLines(0));
        assertThat(text()).isEmpty();

        delivered.clear();
        read(file, LogOptions.ALL.withTailLines(10));
        assertThat(text()).isEqualTo("1\ne1\n2\ne2\n3\n");
    }

    @Test
    void timestampsAreTheRecordsAndSinceLeavesOutOlderLines() throws Exception {
        Path file = log(T1 + " stdout F early\n", T2 + " stdout F on time\n", T3 + " stdout F late\n");

        read(file, LogOptions.ALL.withTimestamps(true).withSince(Instant.parse("2026-11-21T11:00:05.000000001Z")));

        assertThat(delivered)
                .extracting(LogFrame::timestamp)
                .containsExactly(
                        Instant.parse("2026-11-21T11:00:05.000000001Z"), Instant.parse("2026-11-21T11:00:07.5Z"));
        assertThat(text()).isEqualTo("on time\nlate\n");
    }

    @Test
    void limitBytesCutsTheLineThatCrossesIt() throws Exception {
        Path file = log(T1 + " stdout F line 1\n", T1 + " stdout F line 2\n");

        read(file, LogOptions.ALL.withLimitBytes(9L));

        assertThat(text()).isEqualTo("line 1\nli");
    }

    @Test
    void followReadsWhatIsAppendedUntilTheContainerStopsThenTheRest() throws Exception {
        Path file = log(T1 + " stdout F before\n");
        List<String> appends = new ArrayList<>(List.of(
                T2 + " stdout F during\n" + T2 + " stdout F inc", // the last record is still being written
                "omplete\n",
                T3 + " stdout F last words\n"));
        int[] checks = {0};

        ContainerLogFile.deliver(file, LogOptions.ALL.withFollow(true), delivered::add, () -> false, () -> {
            checks[0]++;
            Files.writeString(file, appends.removeFirst(), StandardOpenOption.APPEND);
            return !appends.isEmpty(); // the container stops right after writing its last words
        });

        assertThat(text()).isEqualTo("before\nduring\nincomplete\nlast words\n");
        assertThat(checks[0]).isEqualTo(3);
    }

    @Test
    void aTruncatedFileIsReadAgainFromItsStart() throws Exception {
        Path file = log(T1 + " stdout F a rather long first line\n");
        boolean[] truncated = {false};

        ContainerLogFile.deliver(file, LogOptions.ALL.withFollow(true), delivered::add, () -> false, () -> {
            if (truncated[0]) {
                return false;
            }
            truncated[0] = true;
            Files.writeString(file, T2 + " stdout F new\n");
            return true;
        });

        assertThat(text()).isEqualTo("a rather long first line\nnew\n");
    }

    @Test
    void largeLogsArriveWholeInFramesOfBoundedSize() throws Exception {
        StringBuilder content = new StringBuilder();
        String line = "0".repeat(99);
        for (int i = 0; i < 20_000; i++) {
            content.append(T1).append(" stdout F ").append(line).append('\n');
        }
        Path file = log(content.toString());

        read(file, LogOptions.ALL);

        assertThat(text()).hasSize(20_000 * 100).isEqualTo((line + "\n").repeat(20_000));
        assertThat(delivered)
                .allSatisfy(
                        frame -> assertThat(frame.data().length).isLessThanOrEqualTo(ContainerLogFile.MAX_FRAME_BYTES));
    }
}

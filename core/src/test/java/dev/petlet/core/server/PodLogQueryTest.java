package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.runtime.LogOptions;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PodLogQueryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

    private static PodLogQuery parse(String query) throws RequestError {
        return PodLogQuery.parse(new QueryStringDecoder("/x?" + query).parameters(), CLOCK);
    }

    private static int status(String query) {
        try {
            parse(query);
            return 200;
        } catch (RequestError e) {
            return e.status();
        }
    }

    @Test
    void noQueryIsTheWholeLog() throws RequestError {
        assertThat(parse("")).isEqualTo(new PodLogQuery(LogOptions.ALL, false));
    }

    @Test
    void everyOption() throws RequestError {
        PodLogQuery query = parse(
                "follow=true&previous=true&timestamps=true&tailLines=10&limitBytes=500&sinceTime=2025-03-01T11:00:00Z");

        assertThat(query.previous()).isTrue();
        assertThat(query.options())
                .isEqualTo(new LogOptions(true, 10, true, Instant.parse("2025-03-01T11:00:00Z"), 500L, true, true));
    }

    @Test
    void booleansAreTrueUnlessFalseOrZero() throws RequestError {
        assertThat(parse("follow").options().follow()).isTrue();
        assertThat(parse("follow=").options().follow()).isTrue();
        assertThat(parse("follow=1").options().follow()).isTrue();
        assertThat(parse("follow=yes").options().follow()).isTrue();
        assertThat(parse("follow=0").options().follow()).isFalse();
        assertThat(parse("follow=False").options().follow()).isFalse();
    }

    @Test
    void legacyTailReplacesTailLines() throws RequestError {
        assertThat(parse("tail=5").options().tailLines()).isEqualTo(5);
        assertThat(parse("tailLines=3&tail=5").options().tailLines()).isEqualTo(5);
        assertThat(parse("tailLines=3&tail=all").options().tailLines()).isNull();
        assertThat(parse("tailLines=3&tail=").options().tailLines()).isEqualTo(3);
    }

    @Test
    void sinceSecondsCountsBackFromNow() throws RequestError {
        assertThat(parse("sinceSeconds=90").options().since()).isEqualTo(Instant.parse("2025-03-01T11:58:30Z"));
    }

    @Test
    void sinceTimeAcceptsOffsetsAndFractions() throws RequestError {
        assertThat(parse("sinceTime=2025-03-01T13:00:00.5%2B02:00").options().since())
                .isEqualTo(Instant.parse("2025-03-01T11:00:00.5Z"));
    }

    @Test
    void streamSelectsStdoutOrStderr() throws RequestError {
        assertThat(parse("stream=Stdout").options().stderr()).isFalse();
        assertThat(parse("stream=Stderr").options().stdout()).isFalse();
        assertThat(parse("stream=All").options()).isEqualTo(LogOptions.ALL);
    }

    @Test
    void valuesThatDoNotParseAre400() {
        assertThat(status("tailLines=x")).isEqualTo(400);
        assertThat(status("tail=-")).isEqualTo(400);
        assertThat(status("limitBytes=1.5")).isEqualTo(400);
        assertThat(status("sinceSeconds=soon")).isEqualTo(400);
        assertThat(status("sinceTime=yesterday")).isEqualTo(400);
        assertThatThrownBy(() -> parse("sinceTime=2025-03-01"))
                .hasMessage("Unable to decode query: sinceTime must be an RFC 3339 time such as 2006-01-02T15:04:05Z,"
                        + " got \"2025-03-01\"");
    }

    @Test
    void valuesOutOfRangeAre422() {
        assertThat(status("tailLines=-1")).isEqualTo(422);
        assertThat(status("limitBytes=0")).isEqualTo(422);
        assertThat(status("sinceSeconds=0")).isEqualTo(422);
        assertThat(status("sinceSeconds=5&sinceTime=2025-03-01T11:00:00Z")).isEqualTo(422);
        assertThat(status("stream=Both")).isEqualTo(422);
        assertThat(status("stream=Stdout&tailLines=2")).isEqualTo(422);
        assertThatThrownBy(() -> parse("tailLines=-1&limitBytes=0"))
                .hasMessage("Invalid request: tailLines: must be greater than or equal to 0; limitBytes: must be"
                        + " greater than 0");
    }

    @Test
    void hugeTailIsCapped() throws RequestError {
        assertThat(parse("tailLines=99999999999").options().tailLines()).isEqualTo(Integer.MAX_VALUE);
    }
}

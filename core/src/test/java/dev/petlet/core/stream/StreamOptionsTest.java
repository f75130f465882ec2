package dev.petlet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.core.stream.StreamOptions.BadStreamRequest;
import dev.petlet.core.stream.StreamTarget.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamOptionsTest {
    @Test
    void execQuery() throws BadStreamRequest {
        StreamOptions options = StreamOptions.parse(
                Kind.EXEC, "/exec/ns/pod/c?command=sh&command=-c&command=echo%20hi&input=1&output=1&error=1", false);

        assertThat(options.command()).containsExactly("sh", "-c", "echo hi");
        assertThat(options.stdin()).isTrue();
        assertThat(options.stdout()).isTrue();
        assertThat(options.stderr()).isTrue();
        assertThat(options.tty()).isFalse();
    }

    @Test
    void aTerminalDropsStandardError() throws BadStreamRequest {
        StreamOptions options = StreamOptions.parse(Kind.ATTACH, "/attach/ns/pod/c?output=1&error=1&tty=1", false);

        assertThat(options.stderr()).isFalse();
        assertThat(options.tty()).isTrue();
        assertThat(options.command()).isEmpty();
    }

    @Test
    void oneStreamAndACommandAreRequired() {
        assertThatThrownBy(() -> StreamOptions.parse(Kind.EXEC, "/exec/ns/pod/c?command=ls&tty=1&error=1", false))
                .hasMessage("you must specify at least 1 of stdin, stdout, stderr");
        assertThatThrownBy(() -> StreamOptions.parse(Kind.EXEC, "/exec/ns/pod/c?output=1", false))
                .hasMessageContaining("exec needs a command");
    }

    @Test
    void portsMatterOnlyForWebSockets() throws BadStreamRequest {
        assertThat(StreamOptions.parse(Kind.PORT_FORWARD, "/portForward/ns/pod", false)
                        .ports())
                .isEmpty();
        assertThat(StreamOptions.parse(Kind.PORT_FORWARD, "/portForward/ns/pod?port=80,443&port=8080", true)
                        .ports())
                .isEqualTo(List.of(80, 443, 8080));
        assertThatThrownBy(() -> StreamOptions.parse(Kind.PORT_FORWARD, "/portForward/ns/pod", true))
                .hasMessage("query parameter \"port\" is required");
        assertThatThrownBy(() -> StreamOptions.parse(Kind.PORT_FORWARD, "/portForward/ns/pod?port=0", true))
                .hasMessageContaining("must be between 1 and 65535");
        assertThatThrownBy(() -> StreamOptions.parse(Kind.PORT_FORWARD, "/portForward/ns/pod?port=http", true))
                .hasMessageContaining("unable to parse");
    }
}

package dev.petlet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.stream.StreamTarget.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamProtocolTest {
    @Test
    void offeredProtocolsComeFromEveryHeaderAndCommaList() {
        assertThat(StreamProtocol.offered(List.of("v5.channel.k8s.io, v4.channel.k8s.io", " channel.k8s.io ", "")))
                .containsExactly("v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io");
    }

    @Test
    void theClientsFirstSupportedProtocolWins() {
        List<StreamProtocol> exec = StreamProtocol.supported(Kind.EXEC);

        assertThat(StreamProtocol.choose(List.of("v9.channel.k8s.io", "v3.channel.k8s.io", "v5.channel.k8s.io"), exec))
                .contains(StreamProtocol.V3);
        assertThat(StreamProtocol.choose(List.of("portforward.k8s.io"), exec)).isEmpty();
        assertThat(StreamProtocol.choose(List.of("portforward.k8s.io"), StreamProtocol.supported(Kind.PORT_FORWARD)))
                .contains(StreamProtocol.PORT_FORWARD);
    }

    @Test
    void v5OverSpdyIsV4AndResizeNeedsV3() {
        assertThat(StreamProtocol.V5.jsonStatus()).isTrue();
        assertThat(StreamProtocol.V4.jsonStatus()).isTrue();
        assertThat(StreamProtocol.V3.jsonStatus()).isFalse();
        assertThat(StreamProtocol.V3.resizeStream()).isTrue();
        assertThat(StreamProtocol.V2.resizeStream()).isFalse();
    }

    @Test
    void webSocketSubprotocols() {
        List<WebSocketProtocol> exec = WebSocketProtocol.supported(Kind.EXEC);
        List<WebSocketProtocol> portForward = WebSocketProtocol.supported(Kind.PORT_FORWARD);

        assertThat(WebSocketProtocol.choose(null, exec)).contains(WebSocketProtocol.NONE);
        assertThat(WebSocketProtocol.choose("foo, v4.base64.channel.k8s.io, v5.channel.k8s.io", exec))
                .contains(WebSocketProtocol.V4_BASE64_CHANNEL);
        assertThat(WebSocketProtocol.choose("v5.channel.k8s.io", exec)).contains(WebSocketProtocol.V5_CHANNEL);
        assertThat(WebSocketProtocol.choose("foo", exec)).isEmpty();
        assertThat(WebSocketProtocol.choose("v5.channel.k8s.io", portForward)).isEmpty();
        assertThat(WebSocketProtocol.choose("base64.channel.k8s.io", portForward))
                .isEmpty();
        assertThat(WebSocketProtocol.names(portForward)).isEqualTo("v4.channel.k8s.io,v4.base64.channel.k8s.io");
    }
}

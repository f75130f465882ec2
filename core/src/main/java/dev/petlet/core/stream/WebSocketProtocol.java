package dev.petlet.core.stream;

import dev.petlet.core.stream.StreamTarget.Kind;
import java.util.List;
import java.util.Optional;

/**
 * The WebSocket subprotocols of the streaming endpoints. Every message starts with its channel number: a raw
 * byte in the binary protocols, an ASCII digit followed by base64 in the {@code base64.} ones. v5 adds channel
 * 255, whose payload names a channel the client is done writing to.
 */
enum WebSocketProtocol {
    /** No subprotocol requested: binary channels, plain-text errors. */
    NONE("", false, false, false),
    CHANNEL("channel.k8s.io", false, false, false),
    BASE64_CHANNEL("base64.channel.k8s.io", true, false, false),
    V4_CHANNEL("v4.channel.k8s.io", false, true, false),
    V4_BASE64_CHANNEL("v4.base64.channel.k8s.io", true, true, false),
    V5_CHANNEL("v5.channel.k8s.io", false, true, true);

    /** The v5 channel whose message carries the number of a channel the client has closed. */
    static final int CLOSE_CHANNEL = 255;

    private static final List<WebSocketProtocol> REMOTE_COMMAND =
            List.of(NONE, CHANNEL, BASE64_CHANNEL, V4_CHANNEL, V4_BASE64_CHANNEL, V5_CHANNEL);
    private static final List<WebSocketProtocol> PORT_FORWARD = List.of(NONE, V4_CHANNEL, V4_BASE64_CHANNEL);

    private final String header;
    private final boolean base64;
    private final boolean jsonStatus;
    private final boolean closeSignal;

    WebSocketProtocol(String header, boolean base64, boolean jsonStatus, boolean closeSignal) {
        this.header = header;
        this.base64 = base64;
        this.jsonStatus = jsonStatus;
        this.closeSignal = closeSignal;
    }

    /** The value of {@code Sec-WebSocket-Protocol}; empty for {@link #NONE}. */
    String header() {
        return header;
    }

    /** Whether messages are text: the channel as an ASCII digit, then the payload in base64. */
    boolean base64() {
        return base64;
    }

    /** Whether the error channel carries a JSON {@code metav1.Status} rather than plain text. */
    boolean jsonStatus() {
        return jsonStatus;
    }

    /** Whether the client may close single channels ({@link #CLOSE_CHANNEL}). */
    boolean closeSignal() {
        return closeSignal;
    }

    /** The subprotocols an endpoint accepts. */
    static List<WebSocketProtocol> supported(Kind kind) {
        return kind == Kind.PORT_FORWARD ? PORT_FORWARD : REMOTE_COMMAND;
    }

    /**
     * The subprotocol for a {@code Sec-WebSocket-Protocol} header: the first requested one that is supported, or
     * {@link #NONE} when the client requested none; empty if it requested only unsupported ones.
     */
    static Optional<WebSocketProtocol> choose(String requested, List<WebSocketProtocol> supported) {
        List<String> offered = StreamProtocol.offered(requested == null ? List.of() : List.of(requested));
        if (offered.isEmpty()) {
            return supported.contains(NONE) ? Optional.of(NONE) : Optional.empty();
        }
        for (String protocol : offered) {
            for (WebSocketProtocol candidate : supported) {
                if (candidate != NONE && candidate.header.equals(protocol)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The comma list of named subprotocols, for the handshaker. */
    static String names(List<WebSocketProtocol> protocols) {
        return String.join(
                ",",
                protocols.stream()
                        .filter(protocol -> protocol != NONE)
                        .map(WebSocketProtocol::header)
                        .toList());
    }
}

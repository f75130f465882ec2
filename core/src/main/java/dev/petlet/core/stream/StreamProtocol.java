package dev.petlet.core.stream;

import dev.petlet.core.stream.StreamTarget.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SPDY stream protocols ({@code X-Stream-Protocol-Version}) petlet speaks, in the kubelet's order of
 * preference. Over SPDY, v5 behaves exactly like v4: its only addition, the CLOSE signal, exists on WebSockets.
 */
enum StreamProtocol {
    V5("v5.channel.k8s.io"),
    V4("v4.channel.k8s.io"),
    V3("v3.channel.k8s.io"),
    V2("v2.channel.k8s.io"),
    V1("channel.k8s.io"),
    PORT_FORWARD("portforward.k8s.io");

    private static final List<StreamProtocol> REMOTE_COMMAND = List.of(V5, V4, V3, V2, V1);

    private final String header;

    StreamProtocol(String header) {
        this.header = header;
    }

    /** The value of {@code X-Stream-Protocol-Version}. */
    String header() {
        return header;
    }

    /** Whether the error stream carries a JSON {@code metav1.Status} (v4 and later) rather than plain text. */
    boolean jsonStatus() {
        return this == V5 || this == V4;
    }

    /** Whether a terminal session has a resize stream (v3 and later). */
    boolean resizeStream() {
        return this == V5 || this == V4 || this == V3;
    }

    /** The protocols an endpoint accepts, most preferred first. */
    static List<StreamProtocol> supported(Kind kind) {
        return kind == Kind.PORT_FORWARD ? List.of(PORT_FORWARD) : REMOTE_COMMAND;
    }

    /**
     * The protocols a client offers: every {@code X-Stream-Protocol-Version} header, each possibly a comma list, in
     * order.
     */
    static List<String> offered(List<String> headerValues) {
        List<String> offered = new ArrayList<>();
        for (String value : headerValues) {
            for (String part : value.split(",")) {
                String protocol = part.trim();
                if (!protocol.isEmpty()) {
                    offered.add(protocol);
                }
            }
        }
        return offered;
    }

    /** The first protocol the client offers that the endpoint supports, as upstream's {@code Handshake} picks. */
    static Optional<StreamProtocol> choose(List<String> offered, List<StreamProtocol> supported) {
        for (String protocol : offered) {
            for (StreamProtocol candidate : supported) {
                if (candidate.header.equals(protocol)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The header values of a list of protocols. */
    static List<String> headers(List<StreamProtocol> protocols) {
        return protocols.stream().map(StreamProtocol::header).toList();
    }
}

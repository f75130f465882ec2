package dev.petlet.core.stream;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket client over a {@link RawClient}: masked frames encoded with Netty's encoder, server frames decoded
 * on a reader thread and recorded as messages.
 */
final class WebSocketTestClient implements AutoCloseable {
    /** One message from the server: binary or text, and the close frame's status for a close. */
    record Message(boolean text, byte[] payload, int closeStatus) {
        int channel() {
            return text ? payload[0] - '0' : payload[0] & 0xFF;
        }

        /** The payload after the channel, base64-decoded for text messages. */
        byte[] body() {
            byte[] rest = java.util.Arrays.copyOfRange(payload, 1, payload.length);
            return text ? Base64.getDecoder().decode(rest) : rest;
        }

        String bodyText() {
            return new String(body(), StandardCharsets.UTF_8);
        }

        boolean isClose() {
            return closeStatus != 0;
        }
    }

    private final RawClient raw;
    private final EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
    private final EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 24));
    private final List<Message> messages = new ArrayList<>();
    private boolean closed;

    static String key() {
        return Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    }

    WebSocketTestClient(RawClient raw) {
        this.raw = raw;
        Thread.ofVirtual().name("websocket-client-reader").start(this::read);
    }

    void sendBinary(int channel, byte[] payload) throws IOException {
        send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) channel}, payload)));
    }

    void sendBase64(int channel, byte[] payload) throws IOException {
        String text = (char) ('0' + channel) + Base64.getEncoder().encodeToString(payload);
        send(new TextWebSocketFrame(text));
    }

    synchronized void send(WebSocketFrame frame) throws IOException {
        raw.writeEncoded(encoder, frame);
    }

    private void read() {
        byte[] buffer = new byte[16 * 1024];
        try {
            int count;
            while ((count = raw.in.read(buffer)) >= 0) {
                decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, count));
                Object frame;
                while ((frame = decoder.readInbound()) != null) {
                    record(frame);
                }
            }
        } catch (IOException e) {
            // Closed.
        }
        synchronized (this) {
            closed = true;
        }
    }

    private synchronized void record(Object frame) {
        try {
            switch (frame) {
                case BinaryWebSocketFrame binary ->
                    messages.add(new Message(false, ByteBufUtil.getBytes(binary.content()), 0));
                case TextWebSocketFrame text ->
                    messages.add(new Message(true, ByteBufUtil.getBytes(text.content()), 0));
                case CloseWebSocketFrame close -> messages.add(new Message(false, new byte[0], close.statusCode()));
                default -> {}
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    /** Everything received on a channel, decoded, in order. */
    synchronized String text(int channel) {
        StringBuilder text = new StringBuilder();
        for (Message message : messages) {
            if (!message.isClose() && message.payload().length > 0 && message.channel() == channel) {
                text.append(message.bodyText());
            }
        }
        return text.toString();
    }

    synchronized boolean closeReceived() {
        return messages.stream().anyMatch(Message::isClose);
    }

    synchronized boolean closed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}

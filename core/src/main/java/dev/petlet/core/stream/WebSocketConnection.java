package dev.petlet.core.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel-multiplexed WebSocket ({@code channel.k8s.io} and its variants): every message starts with the
 * number of the channel it belongs to. Binary protocols carry the number as a byte and raw bytes after it;
 * base64 protocols send text, the number as an ASCII digit and the bytes in base64. v5 clients close single
 * channels with a message on channel 255 naming the channel; this side's channels end with the connection, as
 * client-go expects. Answers PINGs and the close handshake; {@link #end()} sends a normal close frame.
 */
final class WebSocketConnection extends StreamConnection {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);

    /** What runs over the WebSocket. Called on the event loop. */
    interface Application {
        /** The handshake completed; the client is listening. */
        void opened();

        /** A message for a channel; the bytes are valid only during the call. */
        void received(int channel, ByteBuf data);

        /** A v5 client will write no more on this channel. */
        void channelClosed(int channel);

        /** The connection closed; release everything. */
        void closed();
    }

    private final WebSocketProtocol protocol;
    private final Function<WebSocketConnection, Application> applications;
    private Application application;

    WebSocketConnection(
            WebSocketProtocol protocol, Duration idleTimeout, Function<WebSocketConnection, Application> applications) {
        super(idleTimeout);
        this.protocol = protocol;
        this.applications = applications;
    }

    @Override
    void started() {
        application = applications.apply(this);
    }

    /** Starts the session once the handshake response is out. Event loop. */
    void open() {
        if (!isClosed()) {
            application.opened();
        }
    }

    /** The stream toward the client on a channel. */
    ClientStream channel(int number) {
        return new Channel(number);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        touch();
        try {
            switch (msg) {
                case BinaryWebSocketFrame frame -> message(frame.content());
                case TextWebSocketFrame frame -> message(frame.content());
                case PingWebSocketFrame frame ->
                    ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
                case CloseWebSocketFrame frame -> closeReceived(frame);
                default -> {
                    // Pongs, and what the HTTP codec left behind.
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void message(ByteBuf content) {
        if (!content.isReadable()) {
            return;
        }
        int channel = content.readUnsignedByte();
        ByteBuf payload = content;
        if (protocol.base64()) {
            channel -= '0';
            try {
                payload = Unpooled.wrappedBuffer(Base64.getDecoder().decode(ByteBufUtil.getBytes(content)));
            } catch (IllegalArgumentException e) {
                LOG.debug("ignoring a message on channel {} that is not base64", channel);
                return;
            }
        }
        if (protocol.closeSignal() && channel == WebSocketProtocol.CLOSE_CHANNEL) {
            if (payload.isReadable()) {
                application.channelClosed(payload.getUnsignedByte(payload.readerIndex()));
            }
            return;
        }
        application.received(channel, payload);
    }

    /** The client's close frame: answer it, then close; or, if this side closed first, it is the answer. */
    private void closeReceived(CloseWebSocketFrame frame) {
        if (!beginEnding()) {
            close();
            return;
        }
        int status = frame.statusCode() < 0 ? WebSocketCloseStatus.NORMAL_CLOSURE.code() : frame.statusCode();
        ctx().writeAndFlush(new CloseWebSocketFrame(status, "")).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    void farewell() {
        ctx().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
    }

    @Override
    void disconnected() {
        application.closed();
    }

    /** One channel toward the client. */
    private final class Channel implements ClientStream {
        private final int number;
        private volatile boolean channelClosed;

        Channel(int number) {
            this.number = number;
        }

        @Override
        public void write(byte[] data) throws IOException {
            if (channelClosed || isEnding()) {
                throw new IOException("channel " + number + " is closed");
            }
            send(frame(number, data), data.length);
        }

        @Override
        public void write(ByteBuf data) throws IOException {
            if (protocol.base64()) {
                ClientStream.super.write(data);
                return;
            }
            if (channelClosed || isEnding()) {
                data.release();
                throw new IOException("channel " + number + " is closed");
            }
            int length = data.readableBytes();
            ByteBuf header = binaryHeader(number, length, 0);
            send(Unpooled.wrappedUnmodifiableBuffer(header, data), length);
        }

        @Override
        public void close() {
            // Only the channel ends; the client learns when the connection closes. client-go's v5 reader does not
            // take close signals from the server ("Unknown stream id 255").
            channelClosed = true;
        }
    }

    private Object frame(int channel, byte[] data) {
        if (protocol.base64()) {
            String text = (char) ('0' + channel) + Base64.getEncoder().encodeToString(data);
            return new TextWebSocketFrame(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII)));
        }
        return binaryHeader(channel, data.length, data.length).writeBytes(data);
    }

    /**
     * The start of an encoded, unmasked binary message (FIN, its length, the channel byte) in a pooled heap
     * buffer with room for {@code extra} more bytes. Data messages go out already encoded and in one piece:
     * Netty's frame encoder would send header and payload as separate buffers, and the TLS handler copies such
     * pieces into a new buffer for every record that starts with one, which cost exec more CPU than the
     * encryption.
     */
    private ByteBuf binaryHeader(int channel, int payload, int extra) {
        long length = payload + 1L;
        int lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
        ByteBuf buffer = ctx().alloc().heapBuffer(2 + lengthBytes + 1 + extra);
        buffer.writeByte(0x82);
        if (lengthBytes == 0) {
            buffer.writeByte((int) length);
        } else if (lengthBytes == 2) {
            buffer.writeByte(126).writeShort((int) length);
        } else {
            buffer.writeByte(127).writeLong(length);
        }
        return buffer.writeByte(channel);
    }
}

package dev.petlet.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gRPC health check against a small HTTP/2 gRPC server on loopback. */
class GrpcCheckIT {
    private static final AtomicInteger STATUS = new AtomicInteger(1);
    private static final AtomicReference<String> PATH = new AtomicReference<>();
    private static EventLoopGroup group;
    private static Channel server;
    private static int port;

    @BeforeAll
    static void startServer() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(Http2FrameCodecBuilder.forServer().build())
                                .addLast(new Http2MultiplexHandler(new HealthService()));
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    @AfterAll
    static void stopServer() {
        server.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void servingPassesAndNotServingFails() {
        GrpcCheck check = new GrpcCheck(group);
        STATUS.set(1);
        // Generous timeouts: the first call loads and warms Netty's HTTP/2 classes on a busy machine.
        ProbeOutcome serving = check.check("127.0.0.1", port, "", Duration.ofSeconds(10));
        assertThat(serving.success()).as(serving.output()).isTrue();
        assertThat(PATH.get()).isEqualTo("/grpc.health.v1.Health/Check");
        STATUS.set(2);
        assertThat(check.check("127.0.0.1", port, "shop", Duration.ofSeconds(10)))
                .isEqualTo(ProbeOutcome.failed("service unhealthy (responded with \"NOT_SERVING\")"));
    }

    @Test
    void nothingListeningFailsWithTheKubeletsMessage() {
        ProbeOutcome outcome = new GrpcCheck(group).check("127.0.0.1", 1, "", Duration.ofSeconds(1));
        assertThat(outcome.success()).isFalse();
        assertThat(outcome.output()).startsWith("timeout: failed to connect service \"127.0.0.1:1\" within 1s");
    }

    /** Answers every call on a stream with HealthCheckResponse{status = STATUS}; one instance serves every stream. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class HealthService extends SimpleChannelInboundHandler<Http2StreamFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, Http2StreamFrame frame) {
            if (frame instanceof Http2HeadersFrame headers) {
                PATH.set(headers.headers().path().toString());
            }
            boolean end = frame instanceof Http2DataFrame data && data.isEndStream()
                    || frame instanceof Http2HeadersFrame headers && headers.isEndStream();
            if (!end) {
                return;
            }
            context.write(new DefaultHttp2HeadersFrame(
                    new DefaultHttp2Headers().status("200").set("content-type", "application/grpc")));
            context.write(new DefaultHttp2DataFrame(
                    Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 2, 0x08, (byte) STATUS.get()})));
            context.writeAndFlush(
                    new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true));
        }
    }
}

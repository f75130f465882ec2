package dev.petlet.core.probe;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A grpc probe: one {@code grpc.health.v1.Health/Check} call over cleartext HTTP/2 (prior
 * knowledge, as grpc-go dials it), with Netty's HTTP/2 codec and the two protobuf messages
 * encoded by hand. Success only for {@code SERVING}; failures use the kubelet's messages.
 */
public final class GrpcCheck {
    static final String PATH = "/grpc.health.v1.Health/Check";
    private static final String[] STATUS_NAMES = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    private final EventLoopGroup group;

    /** @param group the event loop the connections run on; owned by the caller */
    public GrpcCheck(EventLoopGroup group) {
        this.group = requireNonNull(group, "group");
    }

    /** @param service the service name to ask about; empty for the server as a whole */
    public ProbeOutcome check(String host, int port, String service, Duration timeout) {
        String address = ContainerPorts.hostPort(host, port);
        long deadline = System.nanoTime() + timeout.toNanos();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(Http2FrameCodecBuilder.forClient().build())
                                .addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                });
        ChannelFuture connecting = bootstrap.connect(host, port);
        Channel channel = connecting.channel();
        try {
            if (!connecting.await(remaining(deadline), TimeUnit.NANOSECONDS) || !connecting.isSuccess()) {
                String cause = connecting.cause() == null
                        ? "context deadline exceeded"
                        : HttpCheck.describe(unwrap(connecting.cause()), host, port);
                return ProbeOutcome.failed("timeout: failed to connect service " + ExecCheck.quoted(address)
                        + " within " + seconds(timeout) + ": " + cause);
            }
            CompletableFuture<Response> response = new CompletableFuture<>();
            Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel)
                    .handler(new ResponseReader(response))
                    .open()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
            Http2Headers headers = new DefaultHttp2Headers()
                    .method("POST")
                    .scheme("http")
                    .path(PATH)
                    .authority(address)
                    .set("content-type", "application/grpc")
                    .set("te", "trailers")
                    .set("user-agent", HttpCheck.USER_AGENT);
            stream.write(new DefaultHttp2HeadersFrame(headers, false));
            stream.writeAndFlush(new DefaultHttp2DataFrame(request(service), true));
            return judge(response.get(remaining(deadline), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return ProbeOutcome.failed("timeout: health rpc did not complete within " + seconds(timeout));
        } catch (ExecutionException e) {
            return ProbeOutcome.failed(
                    "error: health rpc probe failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeOutcome.failed("error: health rpc probe failed: interrupted");
        } finally {
            channel.close();
        }
    }

    record Response(String grpcStatus, String grpcMessage, byte[] body) {}

    static ProbeOutcome judge(Response response) {
        String status = response.grpcStatus();
        if ("12".equals(status)) {
            return ProbeOutcome.failed(
                    "this server does not implement the grpc health protocol (grpc.health.v1.Health): rpc error: "
                            + "code = Unimplemented desc = " + response.grpcMessage());
        }
        if (status != null && !"0".equals(status)) {
            return ProbeOutcome.failed("error: health rpc probe failed: rpc error: code = " + status + " desc = "
                    + response.grpcMessage());
        }
        int serving = servingStatus(response.body());
        if (serving == 1) {
            return ProbeOutcome.passed("");
        }
        String name = serving >= 0 && serving < STATUS_NAMES.length ? STATUS_NAMES[serving] : Integer.toString(serving);
        return ProbeOutcome.failed("service unhealthy (responded with " + ExecCheck.quoted(name) + ")");
    }

    /** A length-prefixed gRPC message holding HealthCheckRequest{service = 1}. */
    static ByteBuf request(String service) {
        byte[] name = service == null ? new byte[0] : service.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        if (name.length > 0) {
            message.write(0x0a); // field 1, length-delimited
            writeVarint(message, name.length);
            message.writeBytes(name);
        }
        ByteBuf frame = Unpooled.buffer(5 + message.size());
        frame.writeByte(0); // not compressed
        frame.writeInt(message.size());
        frame.writeBytes(message.toByteArray());
        return frame;
    }

    /** The status field (1, varint) of a length-prefixed HealthCheckResponse; 0 (UNKNOWN) when absent. */
    static int servingStatus(byte[] body) {
        if (body.length < 5) {
            return 0;
        }
        int index = 5;
        while (index < body.length) {
            int[] key = readVarint(body, index);
            index = key[1];
            int field = key[0] >>> 3;
            int wireType = key[0] & 7;
            if (wireType == 0) {
                int[] value = readVarint(body, index);
                index = value[1];
                if (field == 1) {
                    return value[0];
                }
            } else if (wireType == 2) {
                int[] length = readVarint(body, index);
                index = length[1] + length[0];
            } else {
                return 0;
            }
        }
        return 0;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7f) != 0) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    /** @return the value and the index after it */
    private static int[] readVarint(byte[] bytes, int index) {
        int value = 0;
        int shift = 0;
        while (index < bytes.length && shift < 35) {
            int b = bytes[index++] & 0xff;
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        return new int[] {value, index};
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private static String seconds(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms";
    }

    private static Exception unwrap(Throwable cause) {
        return cause instanceof Exception e ? e : new Exception(cause);
    }

    /** Collects the response headers, body and trailers of the one call on a stream. */
    private static final class ResponseReader extends SimpleChannelInboundHandler<Http2StreamFrame> {
        private final CompletableFuture<Response> response;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private String grpcStatus;
        private String grpcMessage = "";

        ResponseReader(CompletableFuture<Response> response) {
            this.response = response;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, Http2StreamFrame frame) {
            boolean end = false;
            if (frame instanceof Http2HeadersFrame headers) {
                CharSequence status = headers.headers().get("grpc-status");
                if (status != null) {
                    grpcStatus = status.toString();
                }
                CharSequence message = headers.headers().get("grpc-message");
                if (message != null) {
                    grpcMessage = message.toString();
                }
                CharSequence httpStatus = headers.headers().status();
                if (httpStatus != null && !"200".contentEquals(httpStatus) && grpcStatus == null) {
                    response.completeExceptionally(new IllegalStateException(
                            "unexpected HTTP status code received from server: " + httpStatus));
                    return;
                }
                end = headers.isEndStream();
            } else if (frame instanceof Http2DataFrame data) {
                ByteBuf content = data.content();
                byte[] bytes = new byte[content.readableBytes()];
                content.readBytes(bytes);
                body.writeBytes(bytes);
                end = data.isEndStream();
            }
            if (end) {
                response.complete(new Response(grpcStatus, grpcMessage, body.toByteArray()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            response.completeExceptionally(new IllegalStateException("the connection closed before a response"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            response.completeExceptionally(cause);
            context.close();
        }
    }
}

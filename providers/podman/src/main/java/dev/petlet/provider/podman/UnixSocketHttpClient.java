package dev.petlet.provider.podman;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 client for a unix domain socket, on Netty. Every request gets its own connection
 * ({@code Connection: close}): connecting to a local socket costs microseconds, and one connection per
 * exchange keeps streaming and hijacked responses simple and leak-free: closing the exchange closes
 * everything. Responses are never aggregated; bodies stream through {@link HttpExchange#body()}.
 */
final class UnixSocketHttpClient implements AutoCloseable {
    private final Path socket;
    private final Duration connectTimeout;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    UnixSocketHttpClient(Path socket, Duration connectTimeout, int ioThreads) {
        this.socket = socket;
        this.connectTimeout = connectTimeout;
        this.group = new MultiThreadIoEventLoopGroup(
                ioThreads, new DefaultThreadFactory("podman-io", true), NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioDomainSocketChannel.class)
                .remoteAddress(UnixDomainSocketAddress.of(socket))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.ALLOCATOR, StreamBuffers.ALLOCATOR)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpClientCodec()).addLast(new ExchangeHandler());
                    }
                });
    }

    Path socket() {
        return socket;
    }

    /**
     * Sends a request on a new connection and waits up to {@code responseTimeout} for the response headers.
     * The caller owns the returned exchange and must close it.
     *
     * @throws ProviderException {@link ErrorCode#UNAVAILABLE} if Podman cannot be reached or does not answer
     *     in time
     */
    HttpExchange open(HttpRequestSpec request, Duration responseTimeout) throws ProviderException {
        HttpExchange exchange = send(request);
        try {
            exchange.awaitResponse(responseTimeout);
            return exchange;
        } catch (ProviderException | RuntimeException e) {
            exchange.close();
            throw e;
        }
    }

    /**
     * Connects and sends a request without waiting for the answer. The caller owns the returned exchange,
     * must {@link HttpExchange#awaitResponse await} the response before reading it, and must close it.
     *
     * @throws ProviderException {@link ErrorCode#UNAVAILABLE} if Podman cannot be reached
     */
    HttpExchange send(HttpRequestSpec request) throws ProviderException {
        Channel channel = connect();
        ExchangeHandler handler = channel.pipeline().get(ExchangeHandler.class);
        HttpExchange exchange = new HttpExchange(channel, request, handler.head(), handler.body());
        channel.writeAndFlush(toNetty(request)).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        return exchange;
    }

    private Channel connect() throws ProviderException {
        ChannelFuture connecting = bootstrap.connect();
        boolean done;
        try {
            done = connecting.await(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            connecting.channel().close();
            Thread.currentThread().interrupt();
            throw new ProviderException(ErrorCode.UNAVAILABLE, "interrupted while connecting to Podman at " + socket);
        }
        if (!done || !connecting.isSuccess()) {
            connecting.channel().close();
            String why = done ? String.valueOf(connecting.cause().getMessage()) : "timed out";
            String advice = why.contains("Permission denied")
                    ? "; petlet's user (" + System.getProperty("user.name") + ") may not use the socket: give its"
                            + " group access, e.g. SocketGroup= and SocketMode=0660 in a podman.socket drop-in"
                            + " (docs/joining.md)"
                    : "; is `podman system service` running on that socket?";
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE,
                    "cannot connect to Podman at " + socket + " (" + why + ")" + advice,
                    connecting.cause());
        }
        return connecting.channel();
    }

    private static FullHttpRequest toNetty(HttpRequestSpec request) {
        byte[] body = request.body() == null ? new byte[0] : request.body();
        FullHttpRequest netty = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(request.method()),
                request.uri(),
                Unpooled.wrappedBuffer(body));
        netty.headers().set(HttpHeaderNames.HOST, "podman");
        netty.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (request.body() != null) {
            netty.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        if (request.upgrade()) {
            netty.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            netty.headers().set(HttpHeaderNames.UPGRADE, "tcp");
        } else {
            netty.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        request.headers().forEach((name, value) -> netty.headers().set(name, value));
        return netty;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

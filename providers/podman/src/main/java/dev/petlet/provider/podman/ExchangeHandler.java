package dev.petlet.provider.podman;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;

/**
 * The last handler of a connection that carries one request: completes {@link #head()} with the response
 * line and headers and streams the body into a {@link ResponseBodyStream}. On {@code 101 Switching
 * Protocols} it removes the HTTP codec, so what follows flows as raw bytes both ways.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<HttpResponse> head = new CompletableFuture<>();
    private ResponseBodyStream body;
    private boolean upgraded;

    CompletableFuture<HttpResponse> head() {
        return head;
    }

    ResponseBodyStream body() {
        return body;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        body = new ResponseBodyStream(context.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        try {
            if (message instanceof HttpResponse response) {
                onResponse(context, response);
            }
            if (message instanceof HttpContent content) {
                // After an upgrade the codec still emits an empty end marker for the 101 response: not the
                // end of the raw stream.
                if (!upgraded) {
                    body.append(content.content());
                    if (content instanceof LastHttpContent) {
                        body.finish();
                    }
                }
            } else if (message instanceof ByteBuf raw) {
                body.append(raw);
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void onResponse(ChannelHandlerContext context, HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            Throwable cause = response.decoderResult().cause();
            head.completeExceptionally(cause);
            body.fail(cause);
            context.close();
            return;
        }
        if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            upgraded = true;
            // Bytes already read past the headers are passed on as raw ByteBufs by the removed decoder.
            context.pipeline().remove(HttpClientCodec.class);
        }
        head.complete(response);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        head.completeExceptionally(new ClosedChannelException());
        body.finish();
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        head.completeExceptionally(cause);
        body.fail(cause);
        context.close();
    }
}

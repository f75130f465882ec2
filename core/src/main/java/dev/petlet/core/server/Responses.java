package dev.petlet.core.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Complete responses, with the headers Go's {@code http.Error} and the kubelet's JSON handlers set. */
final class Responses {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json";

    private Responses() {}

    static FullHttpResponse text(int status, String body) {
        return of(status, TEXT, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    /** An error the client shows: Go's {@code http.Error} ends the message with a newline. */
    static FullHttpResponse error(int status, String message) {
        FullHttpResponse response = text(status, message.endsWith("\n") ? message : message + "\n");
        response.headers().set("X-Content-Type-Options", "nosniff");
        return response;
    }

    static FullHttpResponse json(byte[] body) {
        return of(200, JSON, Unpooled.wrappedBuffer(body));
    }

    static FullHttpResponse of(int status, String contentType, String body) {
        return of(status, contentType, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    private static FullHttpResponse of(int status, String contentType, ByteBuf body) {
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    /** Marks a response as the last on its connection, or as keeping it open. */
    static void connection(io.netty.handler.codec.http.HttpResponse response, boolean keepAlive) {
        response.headers()
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    }
}
